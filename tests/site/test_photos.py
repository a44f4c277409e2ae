"""Photos are stored by the site: fetched at ingest from a real HTTP server, checked,
resized into WebP and JPEG renditions, served from the site, uploaded in the desk, and
shipped with the demo with their credits and licences."""

import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from newsdesk.cli import main
from newsdesk.site.stories.models import Caption, Photo, Section, Story

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The demo photos as the package ships them (copied from ../shared/demo/photos, the widest
# resized to 1600 px): real JPEGs, present wherever the code is.
PHOTOS = ROOT / "src" / "newsdesk" / "site" / "demo" / "photos"
JPEG = "nyse-flag.jpg"  # 1600 × 734: as wide as the widest rendition
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!doctype html><html><head><title>Not found</title></head><body>Sorry</body></html>"


def bomb_png() -> bytes:
    """A 60-megapixel PNG of one colour: some kilobytes that would decode to 60 MB."""
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def image_host():
    """A real HTTP server: the demo JPEGs under /photos/, hostile answers under /bad/."""
    jpeg = (PHOTOS / JPEG).read_bytes()
    bad = {
        "/bad/evil.svg": (SVG, "image/svg+xml"),
        "/bad/svg-called-jpeg.jpg": (SVG, "image/jpeg"),
        "/bad/page.html": (HTML, "text/html; charset=utf-8"),
        "/bad/photo-as-text.jpg": (jpeg, "text/plain"),
        "/bad/bomb.png": (bomb_png(), "image/png"),
        "/bad/truncated.jpg": (jpeg[: len(jpeg) // 2], "image/jpeg"),
        "/bad/big.jpg": ((PHOTOS / "nyse-trading-floor.jpg").read_bytes(), "image/jpeg"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/photos/") and (PHOTOS / self.path[8:]).is_file():
                body, kind = (PHOTOS / self.path[8:]).read_bytes(), "image/jpeg"
            elif self.path in bad:
                body, kind = bad[self.path]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the fetcher stopped reading at the size cap, as it should

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def article_json(tmp_path, headline: str, images: list[str]) -> Path:
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.json"
    path.write_text(
        json.dumps(
            {
                "headline": headline,
                "sections": ["World"],
                "published": "2025-05-01T08:00:00+00:00",
                "captions": [
                    {
                        "text": f"Photo number {i + 1} of the harbour.",
                        "credit": "AP Photo/ Jane Doe",
                        "image": url,
                    }
                    for i, url in enumerate(images)
                ],
                "deep_look": {
                    "blocks": [
                        {
                            "kind": "paragraph",
                            "text": "The port authority voted on Monday to "
                            "rebuild the old north harbour wall, ending a long dispute.",
                        },
                        {
                            "kind": "paragraph",
                            "text": "Engineers said the wall could fail in a "
                            "strong winter storm, and that repairs would take three years.",
                        },
                    ]
                },
            }
        )
    )
    return path


def test_ingest_fetches_stores_and_serves_each_photo_in_renditions(
    tmp_path, image_host, client, media, capsys
):
    source = f"{image_host}/photos/{JPEG}"
    assert main(["ingest", str(article_json(tmp_path, "Harbour wall vote passes", [source]))]) == 0
    story = Story.objects.get(headline="Harbour wall vote passes")
    photo = story.captions.get().photo
    assert photo is not None and photo.source_url == source
    assert (photo.width, photo.height) == (1600, 734)
    assert (media / photo.image.name).read_bytes() == (PHOTOS / JPEG).read_bytes()
    assert [r["width"] for r in photo.renditions] == [320, 640, 800, 1024, 1600]
    for rendition in photo.renditions:
        for kind in ("webp", "jpeg"):
            with Image.open(media / rendition[kind]) as made:
                assert made.format == kind.upper()
                assert made.size == (rendition["width"], rendition["height"])
    # The story page shows the stored photo, never the source's address.
    page = client.get(story.get_absolute_url()).content.decode()
    assert image_host not in page
    picture = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture).group(1)
    assert [w for _, w in (c.split() for c in webp.split(", "))] == [
        "320w",
        "640w",
        "800w",
        "1024w",
        "1600w",
    ]
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'width="1600" height="734"' in img and 'fetchpriority="high"' in img
    assert 'alt="Photo number 1 of the harbour."' in img
    first = webp.split()[0]
    served = client.get(first)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content).startswith(b"RIFF")
    # Stored once: the same address in another story reuses the photo, no second copy.
    other = article_json(tmp_path, "Harbour wall work begins", [source])
    assert main(["ingest", str(other)]) == 0
    assert Photo.objects.count() == 1
    assert Story.objects.get(headline="Harbour wall work begins").captions.get().photo == photo


def test_hostile_images_are_refused_with_the_reason_and_the_story_is_kept(
    tmp_path, image_host, client, settings, capsys
):
    settings.NEWSDESK_MAX_UPLOAD_BYTES = 400_000  # the 650 kB photo is over it; files are not
    names = [
        "evil.svg",
        "svg-called-jpeg.jpg",
        "page.html",
        "photo-as-text.jpg",
        "bomb.png",
        "truncated.jpg",
        "big.jpg",
        "missing.jpg",
    ]
    urls = [f"{image_host}/bad/{name}" for name in names]
    assert main(["ingest", str(article_json(tmp_path, "Storm closes harbour", urls))]) == 0
    out = capsys.readouterr().out
    story = Story.objects.get(headline="Storm closes harbour")  # kept, every caption with it
    assert story.captions.count() == 8 and not story.captions.filter(photo__isnull=False)
    assert Photo.objects.count() == 0
    line = next(x for x in out.splitlines() if x.startswith("ingested"))
    reasons = dict(re.findall(r"photo (\d) not stored: (.+?)(?=; photo \d|\)$)", line))
    assert "SVG image (image/svg+xml), refused" in reasons["1"]
    assert "svg-called-jpeg.jpg: an SVG image, refused" in reasons["2"]
    assert "sent text/html; charset=utf-8, not a JPEG, PNG, WebP or GIF" in reasons["3"]
    assert "sent text/plain, not a JPEG" in reasons["4"]
    assert "bomb.png: refused as a decompression bomb" in reasons["5"]
    assert "truncated.jpg: not an image that can be read" in reasons["6"]
    assert "650,568 bytes, over the limit of 400,000" in reasons["7"]
    assert "missing.jpg: HTTP 404" in reasons["8"]
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<img" not in page.split('id="latest-news"')[0]
    assert page.count('class="photo photo-lead photo-text-only"') == 1
    assert "Photo number 8 of the harbour." in page


def test_listings_show_the_stored_renditions_and_stories_without_one_in_type(
    tmp_path, image_host, client
):
    Section.objects.create(name="World", slug="world")  # the desk's; ingest maps to it
    main(
        [
            "ingest",
            str(
                article_json(tmp_path, "Harbour wall vote passes", [f"{image_host}/photos/{JPEG}"])
            ),
        ]
    )
    main(["ingest", str(article_json(tmp_path, "Fish market reopens", []))])
    story = Story.objects.get(headline="Harbour wall vote passes")
    story.tags.create(name="Harbours", slug="harbours")
    for path in [
        "/",
        "/section/world/",
        "/tag/harbours/",
        story.edition.get_absolute_url(),
        "/search/?q=harbour",
    ]:
        page = client.get(path).content.decode()
        pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
        assert pictures, path
        assert all(
            "/media/photos/renditions/" in p and 'type="image/webp"' in p for p in pictures
        ), path
        assert all(re.search(r'width="\d+" height="\d+"', p) for p in pictures), path
    home = client.get("/").content.decode()
    assert re.search(r'class="teaser[^"]* no-photo".*?Fish market reopens', home, re.S)


def test_media_serving_refuses_paths_outside_the_folder(client):
    assert client.get("/media/../settings.py").status_code in (400, 404)
    assert client.get("/media/photos/none.webp").status_code == 404


def test_editors_upload_photos_to_the_library_and_svg_is_refused(personas, client, media):
    client.force_login(personas["erin"])
    jpeg = (PHOTOS / "delphi-tholos.jpg").read_bytes()
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/admin/stories/photo/add/",
        {
            "image": SimpleUploadedFile("tholos.jpg", jpeg, "image/jpeg"),
            "caption": "The Tholos at Delphi at dusk.",
            "credit": "Photo: Konstantinos Kousis",
            "licence": "CC BY-SA 4.0",
            "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
            "alt_text": "A ruined round temple of three columns",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (960, 638)
    assert [r["width"] for r in photo.renditions] == [320, 640, 800, 960]
    refused = client.post(
        "/admin/stories/photo/add/",
        {"image": SimpleUploadedFile("evil.svg", SVG, "image/svg+xml"), "caption": "x"},
    )
    assert refused.status_code == 200 and Photo.objects.count() == 1
    assert "Upload a valid image" in refused.content.decode() or "SVG" in refused.content.decode()
    # Reused in a story through its ordered photos, with the story's own words or the photo's.
    story = Story.objects.create(headline="Oracle site reopens", slug="oracle", status="published")
    from django.utils import timezone

    Story.objects.filter(pk=story.pk).update(published_at=timezone.now())
    Caption.objects.create(story=story, order=0, photo=photo)
    change = client.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert re.search(r'<select name="captions-0-photo"[^>]*class="admin-autocomplete', change)
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "stories", "model_name": "caption", "field_name": "photo", "term": "Tholos"},
    ).json()
    assert [r["id"] for r in found["results"]] == [str(photo.pk)]
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'alt="A ruined round temple of three columns"' in page
    assert "The Tholos at Delphi at dusk." in page
    assert (
        '(Photo: Konstantinos Kousis · <a class="licence" rel="license" '
        'href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>)' in page
    )


def test_demo_ships_its_photos_with_credit_and_licence(client, media):
    from newsdesk.site.ingestion.demo import load_demo

    load_demo()
    manifest = [
        json.loads(line)
        for line in (ROOT / "src/newsdesk/site/demo/photos/manifest.jsonl").read_text().splitlines()
    ]
    assert Photo.objects.count() == len(manifest) == 17
    assert max(Photo.objects.values_list("width", flat=True)) <= 1600
    for row in manifest:
        if not row["story_headline"]:
            assert not Photo.objects.get(caption=row["caption"]).captions.exists()
            continue
        story = Story.objects.get(headline=row["story_headline"])
        page = client.get(story.get_absolute_url()).content.decode()
        figure = re.search(r'<figure class="photo photo-lead">.*?</figure>', page, re.S).group(0)
        assert row["caption"].replace("'", "&#x27;") in figure
        assert row["credit"] in figure and f'href="{row["licence_url"]}"' in figure
    top = Story.objects.get(is_top_story=True)
    assert top.captions.filter(photo__isnull=False).exists()
    home = client.get("/").content.decode()
    assert re.search(r'id="top-story".*?<picture>', home, re.S)


def test_the_api_stores_posted_photos_and_names_where_the_site_serves_them(
    client, image_host, tmp_path
):
    from django.contrib.auth.models import Permission, User

    from newsdesk.site.api.models import Token

    user = User.objects.create_user("wire", "w@example.org", None)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_story", "publish_story"])
    )
    token = Token.issue(user, "wire feed")[1]
    article = json.loads(
        article_json(tmp_path, "Ferry service resumes", [f"{image_host}/photos/{JPEG}"]).read_text()
    )
    answer = client.post(
        "/api/stories",
        json.dumps(article),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert answer.status_code == 201, answer.content
    caption = answer.json()["story"]["captions"][0]
    photo = Photo.objects.get()
    assert caption["image_url"] == f"{image_host}/photos/{JPEG}"
    assert caption["photo"] == f"http://testserver/media/{photo.renditions[-1]['jpeg']}"


def test_copy_pasted_into_the_desk_gets_its_photos_and_the_editor_hears_of_failures(
    client, personas, image_host
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = f"""<!doctype html><html><head><title>Ferry back</title></head><body><article>
<h1>Ferry service resumes after the storm</h1>
<figure><img src="{image_host}/photos/{JPEG}"><figcaption>The ferry at the quay at dawn.
(AP Photo/ Jane Doe)</figcaption></figure>
<figure><img src="{image_host}/bad/page.html"><figcaption>Passengers boarding the first
ferry. (AP Photo/ John Roe)</figcaption></figure>
<p>The ferry between the island and the mainland ran again on Monday, three days after
the storm closed the harbour and left hundreds of travellers waiting on both sides.</p>
<p>The operator said the first crossing was full and extra boats would run all week, while
engineers checked the quay walls for damage from the waves.</p>
</article></body></html>"""
    client.force_login(personas["erin"])
    answer = client.post(
        "/admin/stories/story/from-copy/",
        {"upload": SimpleUploadedFile("ferry.html", page.encode(), "text/html")},
        follow=True,
    )
    story = Story.objects.get(headline="Ferry service resumes after the storm")
    first, second = story.captions.order_by("order")
    assert first.photo is not None and first.photo.source_url.endswith(JPEG)
    assert second.photo is None
    shown = [str(m) for m in answer.context["messages"]]
    assert any(m.startswith("Photo 2 not stored:") and "text/html" in m for m in shown), shown
