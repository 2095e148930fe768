# Dienstag, 15. Dezember 2026 (, 18:00)
LONG_DATE_FORMAT = "j. F Y"
WEEKDAY_DATE_FORMAT = "l, j. F Y"
WEEKDAY_DATETIME_FORMAT = "l, j. F Y, H:i"
