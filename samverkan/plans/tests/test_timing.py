"""parse_timing with the timing phrases of the seed agreements' plans."""

from datetime import date

import pytest

from samverkan.plans.timing import parse_timing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Under höstterminen 2012", (date(2012, 8, 1), date(2012, 12, 31))),
        ("vårterminen 2013", (date(2013, 1, 1), date(2013, 6, 30))),
        ("HT 2012", (date(2012, 8, 1), date(2012, 12, 31))),
        ("Hösten 2012", (date(2012, 9, 1), date(2012, 11, 30))),
        ("Våren 2016", (date(2016, 3, 1), date(2016, 5, 31))),
        ("sommaren 2015", (date(2015, 6, 1), date(2015, 8, 31))),
        ("sommaren", (None, None)),
        ("Under 2012", (date(2012, 1, 1), date(2012, 12, 31))),
        ("2016", (date(2016, 1, 1), date(2016, 12, 31))),
        ("2016-2018", (date(2016, 1, 1), date(2018, 12, 31))),
        ("2016–2018", (date(2016, 1, 1), date(2018, 12, 31))),
        (
            "Påbörjas 2016 i de utsedda områdena. Innan periodens slut ska också "
            "handlingsplaner ha skrivits fram i övriga prioriterade områden. Uppföljning av "
            "medborgardialog sker årligen",
            (date(2016, 1, 1), None),
        ),
        ("Följas upp i slutet av 2016", (None, date(2016, 12, 31))),
        # Decision: the year belongs to the follow-up ("Uppföljning ... sker 2018"), which
        # ends the activity; "Initieras" has no year, so the start is unknown.
        ("Initieras Uppföljning av enkäten sker 2018", (None, date(2018, 12, 31))),
        (
            "Genomföra kartläggningen 2016 och därefter skriva in åtgärder i lokala planer.",
            (date(2016, 1, 1), date(2016, 12, 31)),
        ),
        ("januari 2017", (date(2017, 1, 1), date(2017, 1, 31))),
        ("2017-03-01", (date(2017, 3, 1), date(2017, 3, 1))),
        ("2017-03-01 – 2017-06-30", (date(2017, 3, 1), date(2017, 6, 30))),
        ("Q1 2017", (date(2017, 1, 1), date(2017, 3, 31))),
        ("kvartal 1 2017", (date(2017, 1, 1), date(2017, 3, 31))),
        ("T1 2017", (date(2017, 1, 1), date(2017, 4, 30))),
        ("tertial 2 2017", (date(2017, 5, 1), date(2017, 8, 31))),
        ("tertial 3 2017", (date(2017, 9, 1), date(2017, 12, 31))),
        ("Hösten 2012 – våren 2013", (date(2012, 9, 1), date(2013, 5, 31))),
        ("Från 2016 till 2018", (date(2016, 1, 1), date(2018, 12, 31))),
        ("Kontinuerligt varje fredag och lördag", (None, None)),
        ("1 utbildning/år", (None, None)),
        ("Träffas 4 gånger/år.", (None, None)),
        ("Arbetet påbörjas i Fröslunda/Lagersberg våren", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_timing(text, expected):
    assert parse_timing(text) == expected
