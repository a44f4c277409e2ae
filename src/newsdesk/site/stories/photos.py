"""Photos checked, stored and resized: what any road in (ingest, the desk, the demo) stores.

``check_image`` refuses what is not a photo a browser should be sent: SVG (it can carry
script), anything Pillow cannot verify and decode, formats other than JPEG, PNG, WebP and
GIF, and decompression bombs (a few kilobytes that decode to gigabytes), by pixel count
before decoding. ``store_photo`` keeps the original through Django's storage API and makes
``make_renditions``: WebP and JPEG copies at several widths for ``srcset``.

A photo's files leave storage with it: ``connect`` has a deleted Photo's original and
renditions, and a replaced original, deleted once the transaction commits (a rolled-back
delete keeps them); new renditions replace the old ones the same way. ``rebuild_renditions``
makes them again (``newsdesk photos rebuild``), after a change of ``WIDTHS`` or a storage move.
"""

from __future__ import annotations

import hashlib
import io
import logging
import posixpath
import warnings
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.text import get_valid_filename
from PIL import Image, ImageOps, UnidentifiedImageError

from newsdesk.site.stories.models import Caption, Photo

# 50 megapixels: a full-frame camera's largest photo (8,688 × 5,792) fits; decoding one
# takes about 150 MB. Pillow itself warns above MAX_IMAGE_PIXELS and refuses above twice
# it; both are errors here, and the pixel count is checked from the header first.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
# Rendition widths, each the one a browser picks somewhere: a lead-grid photo (20rem) at 1x
# and 2x, a phone's full column (380 CSS px at 1.75x: Lighthouse's phone) and the story
# column (46rem = 736 px) at 1x, a phone at 2.6x, and the story or top story at 2x. Wider
# originals are capped at the last.
WIDTHS = (320, 640, 800, 1024, 1600)
WEBP_QUALITY = 74  # about the JPEG's look at 60-70 % of its bytes on the demo photos
# WebP effort 2 of 6: half of effort 4's time for 2 % more bytes (a 1280 × 1606 demo photo:
# 0.44 s against 0.86 s); the JPEGs are the fallback for old browsers, kept quick to make.
WEBP_METHOD = 2
JPEG_QUALITY = 80
log = logging.getLogger(__name__)


class PhotoError(ValueError):
    """An image that cannot be stored as a photo; the message names it and says why."""


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in head


def check_image(data: bytes, name: str) -> tuple[str, int, int]:
    """The (Pillow format, width, height) of ``data``; raises PhotoError naming ``name``."""
    if not data:
        raise PhotoError(f"{name}: empty, no image in it")
    if _looks_like_svg(data):
        raise PhotoError(f"{name}: an SVG image, refused (SVG can carry script)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in FORMATS:
                    raise PhotoError(
                        f"{name}: a {kind} image; photos must be JPEG, PNG, WebP or GIF"
                    )
                if width * height > MAX_PIXELS:
                    raise PhotoError(_bomb(name, width, height))
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # verify() reads no pixels: a truncated file fails only here
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(f"{name}: refused as a decompression bomb ({exc})") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PhotoError(f"{name}: not an image that can be read ({exc})") from exc
    return kind, width, height


def _bomb(name: str, width: int, height: int) -> str:
    return (
        f"{name}: {width:,} × {height:,} pixels, over the limit of {MAX_PIXELS:,} "
        "(a decompression bomb, or a photo to resize first)"
    )


def file_name(source: str, kind: str) -> str:
    """A storage file name for an image from ``source`` (a URL or file name) in ``kind``."""
    path = unquote(urlsplit(source).path) if "://" in source else source
    stem = posixpath.splitext(posixpath.basename(path))[0][:60]
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable left of it ("..", "/")
        stem = "photo"
    return stem + FORMATS[kind]


def store_photo(data: bytes, *, name: str, **fields) -> Photo:
    """Check ``data``, store it as a new Photo with ``fields`` (caption, credit, licence,
    licence_url, alt_text, source_url) and its renditions; raises PhotoError."""
    kind, width, height = check_image(data, name)
    photo = Photo(**fields)
    photo.image.save(file_name(name, kind), ContentFile(data), save=False)
    photo.width, photo.height = width, height
    photo.save()
    make_renditions(photo, data)
    return photo


def _rgb(image: Image.Image) -> Image.Image:
    """The image upright and in RGB, transparency laid on white (JPEG has none)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        return flat
    return image.convert("RGB")


def rendition_widths(width: int) -> list[int]:
    """The rendition widths an upright image ``width`` pixels wide gets, narrowest first."""
    top = min(width, WIDTHS[-1])
    # a step within a tenth of the top width would be nearly the same file
    return sorted({w for w in WIDTHS if w < top * 0.9} | {top})


def make_renditions(photo: Photo, data: bytes | None = None) -> list[dict]:
    """Make (or make again) ``photo``'s WebP and JPEG renditions and save their list.

    Names carry a digest of the original, so a replaced image never reuses a cached URL.
    """
    if data is None:
        with photo.image.open("rb") as handle:
            data = handle.read()
    storage = photo.image.storage
    digest = hashlib.blake2b(data, digest_size=5).hexdigest()
    with Image.open(io.BytesIO(data)) as opened:
        image = _rgb(opened)
    widths = rendition_widths(image.width)
    old = rendition_names(photo)
    made = []
    current = image
    for width in reversed(widths):  # each from the one above it: less to resample
        height = max(1, round(image.height * width / image.width))
        current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        row = {"width": width, "height": height}
        for kind, ext, options in (
            ("webp", "webp", {"quality": WEBP_QUALITY, "method": WEBP_METHOD}),
            ("jpeg", "jpg", {"quality": JPEG_QUALITY, "optimize": True}),
        ):
            out = io.BytesIO()
            current.save(out, format=kind.upper(), **options)
            wanted = f"photos/renditions/{photo.pk}-{digest}-{width}.{ext}"
            row[kind] = storage.save(wanted, ContentFile(out.getvalue()))
        made.append(row)
    photo.renditions = list(reversed(made))
    photo.save(update_fields=["renditions"])
    delete_files(storage, old - rendition_names(photo))  # the ones these replace
    return photo.renditions


def rendition_names(photo: Photo) -> set[str]:
    """The storage names of ``photo``'s renditions (WebP and JPEG, every width)."""
    return {row[kind] for row in photo.renditions for kind in ("webp", "jpeg") if row.get(kind)}


def delete_files(storage, names: Iterable[str], *, using: str | None = None) -> None:
    """Delete ``names`` from ``storage`` once the current transaction commits (at once outside
    one), so a rolled-back change keeps its files. A file that will not go is logged and left:
    the database change has committed and stays."""
    names = sorted(n for n in names if n)
    if not names:
        return

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # any backend's failure: the row is gone, an orphan file is not
                log.warning("photo file %s could not be deleted", name, exc_info=True)

    transaction.on_commit(delete, using=using)


def _remember_stored_original(sender, instance: Photo, raw=False, update_fields=None, **kw):
    if raw or instance.pk is None or (update_fields is not None and "image" not in update_fields):
        return
    instance._stored_original = (
        Photo.objects.using(kw.get("using")).filter(pk=instance.pk).values_list("image", flat=True)
    ).first()


def _delete_replaced_original(sender, instance: Photo, raw=False, using=None, **kw):
    old = instance.__dict__.pop("_stored_original", None)
    if not raw and old and old != instance.image.name:
        delete_files(instance.image.storage, [old], using=using)


def _delete_files_of_deleted_photo(sender, instance: Photo, using=None, **kw):
    names = rendition_names(instance) | {instance.image.name}
    delete_files(instance.image.storage, names, using=using)


def connect() -> None:
    """Delete a photo's files from storage with the photo, and a replaced original."""
    uid = "newsdesk-photo-files"
    pre_save.connect(_remember_stored_original, sender=Photo, dispatch_uid=uid + "-pre")
    post_save.connect(_delete_replaced_original, sender=Photo, dispatch_uid=uid + "-post")
    post_delete.connect(_delete_files_of_deleted_photo, sender=Photo, dispatch_uid=uid + "-del")


def missing_files(photo: Photo) -> list[str]:
    """The storage names ``photo`` lists (renditions; the original too) that storage lacks."""
    storage = photo.image.storage
    names = sorted(rendition_names(photo) | {photo.image.name})
    return [name for name in names if not storage.exists(name)]


def rebuild_renditions(
    *, missing_only: bool = False, report: Callable[[str], None] = print
) -> dict[str, int]:
    """Make every photo's renditions again from its stored original (``missing_only``: only
    photos with none, with a file missing, or with other widths than ``WIDTHS`` gives), one
    photo at a time, each in its own transaction. ``report`` gets one line per photo rebuilt
    or failed. Returns the counts: rebuilt, kept (nothing missing) and failed (the original
    is missing or unreadable; the photo is left as it was)."""
    counts = {"rebuilt": 0, "kept": 0, "failed": 0}
    for pk in Photo.objects.order_by("pk").values_list("pk", flat=True).iterator():
        with transaction.atomic():
            photo = Photo.objects.select_for_update().filter(pk=pk).first()
            if photo is None:  # deleted meanwhile
                continue
            storage = photo.image.storage
            if not photo.image.name or not storage.exists(photo.image.name):
                counts["failed"] += 1
                report(f"photo {pk}: original {photo.image.name or '(none)'} is missing")
                continue
            missing = missing_files(photo)
            if missing_only and not missing and photo.renditions and _widths_current(photo):
                counts["kept"] += 1
                continue
            try:
                rows = make_renditions(photo)
            except (OSError, ValueError) as exc:
                counts["failed"] += 1
                report(f"photo {pk}: {photo.image.name} could not be read ({exc})")
                continue
            counts["rebuilt"] += 1
            why = f"{len(missing)} file(s) were missing" if missing else "made again"
            report(f"photo {pk}: {len(rows)} widths, {why}")
    return counts


def _widths_current(photo: Photo) -> bool:
    """Whether ``photo``'s renditions have the widths ``make_renditions`` would make now."""
    big = photo.largest  # upright; the original's width and height may be its sideways ones
    upright = (
        photo.width
        if (photo.width >= photo.height) == (big["width"] >= big["height"])
        else photo.height
    )
    return [row["width"] for row in photo.renditions] == rendition_widths(upright or big["width"])


def with_photos(stories: list) -> list:
    """Give each story in a listing its ``photo`` (its first stored Photo, or None), in one
    query for any number of stories; returns ``stories``."""
    captions = Caption.objects.filter(photo__isnull=False).select_related("photo")
    prefetch_related_objects(stories, Prefetch("captions", queryset=captions, to_attr="shown"))
    for story in stories:
        story.photo = story.shown[0].photo if story.shown else None
    return stories
