"""Each caption's image fetched at ingest and stored by the site: never hot-linked.

``store_story_photos(story)`` runs after a story is stored (outside its transaction: a
photo that fails loses no story). For each caption with an image address and no stored
photo it GETs the address with a timeout and a size cap, accepts only an image content
type (never SVG, never an HTML page), has ``stories.photos`` verify and store the bytes
with renditions, and links the photo to the caption. The same address stored before is
reused, not fetched again. It returns one line per photo that could not be stored, saying
why; the story keeps the caption's text.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from newsdesk import __version__ as VERSION  # noqa: N812
from newsdesk.site.ingestion.limits import max_upload_bytes
from newsdesk.site.stories.models import Photo, Story
from newsdesk.site.stories.photos import PhotoError, store_photo
from newsdesk.site.weburls import is_web_url

log = logging.getLogger(__name__)

TIMEOUT = 15  # seconds, for connecting and for each read
USER_AGENT = f"newsdesk/{VERSION} (photo fetcher)"
ACCEPT = "image/webp, image/jpeg, image/png;q=0.9, image/gif;q=0.8"
IMAGE_TYPES = frozenset({"image/jpeg", "image/pjpeg", "image/png", "image/webp", "image/gif"})


def fetch_image(url: str, *, max_bytes: int | None = None) -> bytes:
    """The bytes of the image at ``url``; raises PhotoError saying what came instead.

    ``max_bytes`` (default: the upload limit, NEWSDESK_MAX_UPLOAD_BYTES) caps the answer,
    by its Content-Length first and by what is read.
    """
    limit = max_bytes or max_upload_bytes()
    if not is_web_url(url):
        raise PhotoError(f"{url}: only http and https addresses are fetched")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            kind = (response.headers.get_content_type() or "").lower()
            if "svg" in kind:
                raise PhotoError(f"{url}: an SVG image ({kind}), refused (SVG can carry script)")
            if kind not in IMAGE_TYPES or not response.headers.get("Content-Type"):
                sent = response.headers.get("Content-Type") or "no content type"
                raise PhotoError(f"{url}: the server sent {sent}, not a JPEG, PNG, WebP or GIF")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise PhotoError(f"{url}: {int(length):,} bytes, over the limit of {limit:,}")
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise PhotoError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise PhotoError(f"{url}: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise PhotoError(f"{url}: {exc or type(exc).__name__}") from exc
    if len(data) > limit:
        raise PhotoError(f"{url}: larger than the limit of {limit:,} bytes")
    return data


def store_story_photos(story: Story) -> list[str]:
    """Fetch and store the images of ``story``'s captions that have none stored yet.

    Returns one line per image that could not be stored (``photo 2 not stored: …``).
    """
    problems = []
    for caption in story.captions.filter(photo__isnull=True).exclude(image_url=""):
        photo = Photo.objects.filter(source_url=caption.image_url).first()
        if photo is None:
            try:
                photo = store_photo(
                    fetch_image(caption.image_url),
                    name=caption.image_url,
                    caption=caption.text,
                    credit=caption.credit,
                    alt_text=caption.alt_text,
                    source_url=caption.image_url,
                )
            except PhotoError as exc:
                log.warning("story %s: photo not stored: %s", story.pk, exc)
                problems.append(f"photo {caption.order + 1} not stored: {exc}")
                continue
        caption.photo = photo
        caption.save(update_fields=["photo"])
    return problems
