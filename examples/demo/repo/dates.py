"""Small date helpers used by the demo."""


def parse_date(text):
    """Parse 'YYYY-MM-DD' into a (year, month, day) tuple.

    Raises ValueError for malformed dates or out-of-range fields.
    """
    parts = text.strip().split("-")
    if len(parts) != 3:
        raise ValueError("expected YYYY-MM-DD, got %r" % text)
    year, month, day = (int(p) for p in parts)
    if not 1 <= month <= 12:
        raise ValueError("month out of range: %d" % month)
    if not 1 <= day <= days_in_month(year, month):
        raise ValueError("day out of range: %d" % day)
    return year, month, day


def is_leap(year):
    return year % 4 == 0 and year % 100 != 0


def days_in_month(year, month):
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31
