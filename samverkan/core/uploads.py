"""Checks for every uploaded file: a size limit, a content check that matches the file's
kind, and safe opening of ZIP-based files (XLSX), so that a zip bomb is refused at once
instead of filling memory. XML inside XLSX is parsed by openpyxl with defusedxml (installed
as a dependency), which refuses entity expansion ("billion laughs") and external entities.
"""
from __future__ import annotations

import contextlib
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ZIP_SUFFIXES = {".xlsx", ".xlsm", ".docx"}
TEXT_SUFFIXES = {".csv", ".txt"}
JSON_SUFFIXES = {".json", ".geojson"}


class UnsafeFile(ValueError):
    """A file refused before it is opened; the message is for the person who uploaded it."""


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


def check_zip(source, *, max_entries: int | None = None, max_unpacked: int | None = None,
              max_ratio: int | None = None) -> None:
    """Refuse a ZIP container (XLSX/DOCX) whose entries would unpack to too much: too many
    entries, too many bytes in all, or an entry compressed more than `max_ratio` times. Reads
    only the directory, so it answers at once. `source`: path, bytes or binary file."""
    max_entries = max_entries or settings.ZIP_MAX_ENTRIES
    max_unpacked = max_unpacked or settings.ZIP_MAX_UNPACKED_BYTES
    max_ratio = max_ratio or settings.ZIP_MAX_RATIO
    if isinstance(source, (bytes, bytearray)):
        import io

        source = io.BytesIO(source)
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnsafeFile(_("The file is not a readable Excel or Word file.")) from error
    finally:
        if position is not None:
            with contextlib.suppress(OSError, ValueError):
                source.seek(position)
    if len(entries) > max_entries:
        raise UnsafeFile(_("The file has too many parts (%(n)s) to be a normal Excel file; "
                           "it was not opened.") % {"n": len(entries)})
    total = sum(e.file_size for e in entries)
    if total > max_unpacked:
        raise UnsafeFile(_("The file would unpack to %(size)s, more than the %(limit)s "
                           "allowed; it was not opened. Split it or save it as CSV.") % {
            "size": filesizeformat(total), "limit": filesizeformat(max_unpacked)})
    for entry in entries:
        if entry.file_size > 1024 * 1024 and \
                entry.file_size > max_ratio * max(entry.compress_size, 1):
            raise UnsafeFile(_("The file is packed suspiciously hard (a \"zip bomb\"); it "
                               "was not opened."))


def _head(upload, size: int = 65536) -> bytes:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        upload.seek(0)
    data = upload.read(size)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        upload.seek(0)
    return data if isinstance(data, bytes) else str(data).encode()


def check_upload(upload, *, suffixes=None, max_bytes: int | None = None) -> None:
    """Size, name and content of an uploaded file; raises ValidationError (Swedish message)."""
    limit = max_bytes or max_upload_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_("The file is too large (%(size)s; at most %(limit)s).") % {
            "size": filesizeformat(size), "limit": filesizeformat(limit)}, code="too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    suffix = PurePath(getattr(upload, "name", "") or "").suffix.lower()
    if suffixes is not None and suffix not in suffixes:
        raise ValidationError(_("Files of this kind cannot be uploaded here (allowed: "
                                "%(kinds)s).") % {"kinds": ", ".join(sorted(suffixes))},
                              code="kind")
    head = _head(upload)
    if suffix in ZIP_SUFFIXES:
        if not head.startswith(b"PK\x03\x04"):
            raise ValidationError(_("The file is not an Excel or Word file although its name "
                                    "says so."), code="content")
        try:
            check_zip(upload)
        except UnsafeFile as error:
            raise ValidationError(str(error), code="unsafe") from error
    elif suffix in TEXT_SUFFIXES or suffix in JSON_SUFFIXES:
        if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ValidationError(_("The file is not a text file although its name says so."),
                                  code="content")
        if suffix in JSON_SUFFIXES and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"{",
                                                                                     b"["):
            raise ValidationError(_("The file is not a JSON file although its name says so."),
                                  code="content")


def upload_validator(*, suffixes=None, max_bytes: int | None = None):
    """A validator for Django form and DRF serializer file fields."""

    def validate(upload):
        check_upload(upload, suffixes=suffixes, max_bytes=max_bytes)

    return validate
