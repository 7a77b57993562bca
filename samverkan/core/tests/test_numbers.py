"""Numbers in text follow the reader's language."""
from django.utils import translation

from samverkan.core import numbers


def test_a_decimal_is_written_with_the_languages_separator():
    with translation.override("sv"):
        assert numbers.decimal(3.94, 1) == "3,9"
        assert numbers.decimal(0.1134, 3) == "0,113"
        assert numbers.decimal(12.6, 0) == "13"
    with translation.override("en"):
        assert numbers.decimal(3.94, 1) == "3.9"


def test_a_change_has_its_sign_and_a_real_minus():
    with translation.override("sv"):
        assert numbers.signed(2.44, 1) == "+2,4"
        assert numbers.signed(-0.31, 1) == "−0,3"
        # A change that rounds to nothing is not negative.
        assert numbers.signed(-0.01, 1) == "+0,0"
