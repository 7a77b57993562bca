"""Guarding free text against personal identity numbers (personnummer)."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PNR = re.compile(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+ ]?(\d{4})(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def find_personal_identity_numbers(text: str) -> list[str]:
    """Swedish personal (or coordination) numbers in `text`, checked with the Luhn digit so
    that dates, phone numbers and sums are not mistaken for them."""
    found = []
    for match in _PNR.finditer(text or ""):
        yy, mm, dd, tail = match.groups()
        month, day = int(mm), int(dd)
        if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
            continue
        if _luhn_ok(yy + mm + dd + tail):
            found.append(match.group(0))
    return found


def no_personal_identity_number(text: str) -> None:
    if find_personal_identity_numbers(text):
        raise ValidationError(
            _("Remove the personal identity number: free text must not identify residents."),
            code="personal_identity_number")


FREE_TEXT_HELP = _("Do not write names or personal identity numbers of residents.")
