"""Featured-image renditions: made once with Pillow when the image changes.

Each rendition is a WebP file at one of ``settings.RENDITION_WIDTHS`` (never
wider than the original), stored beside the upload. The article keeps their
names and sizes in ``Article.renditions`` so a page can write ``srcset``,
``width`` and ``height`` without opening a file.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps


def make_renditions(image_field):
    """Write the renditions of ``image_field``'s file; return their descriptions.

    Returns a list of ``{"width", "height", "name"}`` dicts, narrowest first.
    """
    image_field.open("rb")
    try:
        with Image.open(image_field) as original:
            original = ImageOps.exif_transpose(original)
            original = original.convert("RGB")
            stem = PurePosixPath(image_field.name).stem
            widths = sorted({min(w, original.width) for w in settings.RENDITION_WIDTHS})
            renditions = []
            for width in widths:
                height = round(original.height * width / original.width)
                resized = original.resize((width, height), Image.Resampling.LANCZOS)
                buffer = BytesIO()
                resized.save(buffer, "WEBP", quality=80, method=4)
                name = default_storage.save(f"renditions/{stem}-{width}.webp", ContentFile(buffer.getvalue()))
                renditions.append({"width": width, "height": height, "name": name})
    finally:
        image_field.close()
    return renditions


def delete_renditions(renditions):
    for rendition in renditions or []:
        default_storage.delete(rendition["name"])
