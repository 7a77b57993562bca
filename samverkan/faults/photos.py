"""Photos from residents: checked by content (an image Pillow can read, at most
`MAX_BYTES`), then re-encoded as JPEG without any metadata, so that no location (EXIF GPS),
camera serial or time leaves with it."""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000  # stored photos are scaled down to this
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 3


@dataclass
class CleanPhoto:
    data: bytes
    width: int
    height: int


def clean_photo(upload) -> CleanPhoto:
    """Read an uploaded file (or bytes) and return it as a JPEG without metadata. Raises
    ValidationError in Swedish for what is not a usable image."""
    raw = upload if isinstance(upload, bytes) else upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The photo is too large (at most %(mb)s MB).")
                              % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a photo we can read (JPEG, PNG or WebP)."))\
            from exc
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("The file is not a photo we can read (JPEG, PNG or WebP)."))
    image = ImageOps.exif_transpose(image)  # keep the orientation, then drop the EXIF
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return CleanPhoto(out.getvalue(), clean.width, clean.height)
