"""Deadlines in hours and in working days across weekends and Swedish holidays."""
import datetime as dt
from zoneinfo import ZoneInfo

from samverkan.faults.deadlines import add_working_days, due_time, is_working_day

STHLM = ZoneInfo("Europe/Stockholm")


def local(*args):
    return dt.datetime(*args, tzinfo=STHLM)


def test_hours_are_clock_hours_also_over_a_weekend():
    due = due_time(local(2026, 5, 8, 15, 0), 48, "hours")  # a Friday
    assert due.astimezone(STHLM) == local(2026, 5, 10, 15, 0)


def test_working_days_skip_the_weekend():
    # Friday 14:00 + 2 working days = Tuesday 14:00.
    assert add_working_days(local(2026, 5, 8, 14, 0), 2).astimezone(STHLM) == \
        local(2026, 5, 12, 14, 0)
    # Saturday morning + 1 working day = Monday morning.
    assert add_working_days(local(2026, 5, 9, 9, 30), 1).astimezone(STHLM) == \
        local(2026, 5, 11, 9, 30)


def test_working_days_skip_easter():
    # Maundy Thursday 2026-04-02 + 1 working day: Good Friday, the weekend and Easter Monday
    # are holidays, so Tuesday 7 April.
    assert add_working_days(local(2026, 4, 2, 10, 0), 1).astimezone(STHLM) == \
        local(2026, 4, 7, 10, 0)


def test_de_facto_holidays_are_not_working_days():
    assert not is_working_day(dt.date(2026, 6, 19))  # Midsummer Eve
    assert not is_working_day(dt.date(2026, 12, 24))  # Christmas Eve
    assert not is_working_day(dt.date(2026, 12, 31))  # New Year's Eve
    assert not is_working_day(dt.date(2026, 6, 6))  # National Day (a Saturday anyway)
    assert is_working_day(dt.date(2026, 6, 18))
    # Christmas 2026: Wed 23 Dec + 1 working day = Monday 28 December.
    assert add_working_days(local(2026, 12, 23, 12, 0), 1).astimezone(STHLM) == \
        local(2026, 12, 28, 12, 0)


def test_summer_time_change_keeps_the_local_time():
    # Friday 27 March 2026 09:00 (CET) + 1 working day = Monday 30 March 09:00 (CEST).
    due = add_working_days(local(2026, 3, 27, 9, 0), 1)
    assert due.astimezone(STHLM) == local(2026, 3, 30, 9, 0)
    assert due.utcoffset() == dt.timedelta(0)
