# Tuesday, 15 December 2026 (, 18:00): the day before the month as in British use, and
# the 24-hour clock of the district the platform serves.
LONG_DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l, j F Y"
WEEKDAY_DATETIME_FORMAT = "l, j F Y, H:i"
