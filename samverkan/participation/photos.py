"""Photos from a safety walk: resized and stripped of location and camera metadata (EXIF,
XMP, ICC) before they are stored or shown. Pillow re-encodes only the pixels."""
from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The longest side of a stored photo, in pixels.
MAX_SIDE = 1600
MAX_UPLOAD = 25 * 1024 * 1024


def clean_photo(data: bytes) -> bytes:
    """A JPEG of at most MAX_SIDE pixels, turned upright, with no metadata."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_UPLOAD:
        raise ValidationError({"photo": _("The photo is larger than 25 MB.")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            pixels = image.convert("RGB")
            # A new image with the pixels only: no EXIF (GPS, camera), no XMP, no ICC.
            clean = Image.new("RGB", pixels.size)
            clean.paste(pixels)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError({"photo": _("The file is not a photo we can read.")}) from error
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
