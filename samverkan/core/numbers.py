"""Numbers in running text and documents, in the reader's language: "3,9" in Swedish, "3.9"
in English (an f-string would always give the point)."""
from django.utils.formats import number_format


def decimal(value: float, places: int) -> str:
    # number_format cuts a float's decimals off; round first ("12,6" -> "13", not "12").
    return number_format(round(value, places), places)


def signed(value: float, places: int) -> str:
    """'+2,4' / '−0,3' (a real minus sign), as a change is written."""
    text = decimal(abs(value), places)
    return ("−" if value < 0 and text.strip("0,.") else "+") + text
