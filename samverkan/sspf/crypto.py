"""Field encryption and the keyed search hash for personal data in SSPF cases.

The encryption is django-fernet-encrypted-fields (Fernet: AES-128-CBC with HMAC-SHA256), with
this project's own keys instead of SECRET_KEY: `settings.SSPF_FIELD_KEYS`, newest first. Values
are encrypted with the first key and decrypted with any of them, so a key is rotated by putting
a new key first and running `samverkan sspf_rotate_keys`, after which the old one can go
(docs/sspf.md). A personal identity number is found through an HMAC-SHA256 of its normalised
digits under `settings.SSPF_SEARCH_KEY`, never by decrypting every row.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

_SALT = b"samverkan.sspf.field-encryption"
_cache: dict[tuple[str, ...], MultiFernet] = {}


def _derive(secret: str) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=_SALT, iterations=100_000)
    return base64.urlsafe_b64encode(kdf.derive(secret.encode("utf-8")))


def fernet() -> MultiFernet:
    """The configured keys, newest first (derived once per process and key list)."""
    keys = tuple(settings.SSPF_FIELD_KEYS)
    if not keys:
        raise RuntimeError("SSPF_FIELD_KEYS is empty: personal data cannot be stored.")
    if keys not in _cache:
        _cache[keys] = MultiFernet([Fernet(_derive(k)) for k in keys])
    return _cache[keys]


class _ProjectKeys:
    @cached_property
    def keys(self):  # not used: `f` below is what the library encrypts with
        return list(settings.SSPF_FIELD_KEYS)

    @property
    def f(self):
        return fernet()

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, f"samverkan.sspf.crypto.{type(self).__name__}", args, kwargs


class SecretCharField(_ProjectKeys, EncryptedCharField):
    """A CharField stored encrypted (the column is text: ciphertext is longer)."""


class SecretTextField(_ProjectKeys, EncryptedTextField):
    """A TextField stored encrypted."""


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate_token(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


# -- personal identity numbers ------------------------------------------------------------------
_PIN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})$")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def normalise_pin(value: str, *, today: dt.date | None = None) -> str:
    """`YYYYMMDDNNNN` from a personal identity or coordination number written with or without
    century and hyphen; ValidationError when it is not one."""
    text = re.sub(r"\s", "", value or "")
    match = _PIN.match(text)
    if not match:
        raise ValidationError(_("Write the personal identity number as YYYYMMDD-NNNN."))
    century, yy, mm, dd, tail = match.groups()
    today = today or dt.date.today()
    if century is None:
        year = 2000 + int(yy)
        if year > today.year or "+" in text:
            year -= 100
        century = str(year)[:2]
    if not _luhn_ok(f"{yy}{mm}{dd}{tail}"):
        raise ValidationError(_("The personal identity number's check digit is wrong."))
    day = int(dd)
    if day > 60:  # a coordination number: day + 60
        day -= 60
    try:
        dt.date(int(century + yy), int(mm), day)
    except ValueError as exc:
        raise ValidationError(_("The personal identity number has no valid date.")) from exc
    return f"{century}{yy}{mm}{dd}{tail}"


def birth_date(pin: str) -> dt.date:
    day = int(pin[6:8])
    return dt.date(int(pin[:4]), int(pin[4:6]), day - 60 if day > 60 else day)


def pin_hash(value: str) -> str:
    """The keyed hash that finds a person: HMAC-SHA256 of the normalised number."""
    pin = normalise_pin(value)
    return hmac.new(settings.SSPF_SEARCH_KEY.encode("utf-8"), pin.encode("ascii"),
                    hashlib.sha256).hexdigest()
