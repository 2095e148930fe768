"""The platform's own named date formats, per language (``FORMAT_MODULE_PATH``).

Templates write ``|date:"WEEKDAY_DATETIME_FORMAT"`` instead of a literal pattern such
as ``"l, j. F Y, H:i"``, which is German punctuation and read "Tuesday, 15. December
2026" in English. Every language of ``LANGUAGES`` defines every name here: Django
takes an unknown name for a literal pattern.
"""
