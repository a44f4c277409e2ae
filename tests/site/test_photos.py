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
        figure = re.search(r'<figure class="photo photo-lead[^"]*">.*?</figure>', page, re.S).group(
            0
        )
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


# --- a photo's files leave storage with it; renditions rebuilt; portraits sized as shown


def stored_files(media: Path) -> set[str]:
    """Every file under the media folder, as storage names."""
    return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}


def photo_files(photo: Photo) -> set[str]:
    kinds = ("webp", "jpeg")
    return {photo.image.name} | {row[k] for row in photo.renditions for k in kinds}


def upload(client, name: str, **fields) -> Photo:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"caption": name, "credit": "Photo: Jane Doe", **fields}
    image = SimpleUploadedFile(name, (PHOTOS / name).read_bytes(), "image/jpeg")
    answer = client.post("/admin/stories/photo/add/", {"image": image, **data})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Photo.objects.get(caption=name)


@pytest.mark.django_db(transaction=True)  # the files go when the delete commits: a real commit
def test_a_photo_deleted_in_the_desk_takes_its_original_and_renditions_from_storage(
    personas, client, media
):
    from django.db import transaction

    client.force_login(personas["erin"])
    tholos = upload(client, "delphi-tholos.jpg")
    flag = upload(client, "nyse-flag.jpg")
    floor = upload(client, "nyse-trading-floor.jpg")
    assert len(photo_files(tholos)) == 1 + 2 * 4  # the original, WebP and JPEG at 4 widths
    assert photo_files(tholos) | photo_files(flag) | photo_files(floor) == stored_files(media)

    # A delete that rolls back keeps every file.
    with pytest.raises(RuntimeError), transaction.atomic():
        Photo.objects.get(pk=tholos.pk).delete()
        raise RuntimeError("the editor's change is undone")
    assert Photo.objects.filter(pk=tholos.pk).exists()
    assert photo_files(tholos) <= stored_files(media)

    # Deleted on its own page in the library: its files leave, the others' stay.
    page = client.get(f"/admin/stories/photo/{tholos.pk}/delete/")
    assert page.status_code == 200
    answer = client.post(f"/admin/stories/photo/{tholos.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302 and not Photo.objects.filter(pk=tholos.pk).exists()
    assert stored_files(media) == photo_files(flag) | photo_files(floor)

    # Its original replaced in the change form: the old original and renditions leave.
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = photo_files(flag)
    new = SimpleUploadedFile("kaaba.jpg", (PHOTOS / "kaaba-mecca.jpg").read_bytes(), "image/jpeg")
    answer = client.post(
        f"/admin/stories/photo/{flag.pk}/change/",
        {"image": new, "caption": "nyse-flag.jpg", "credit": "Photo: Jane Doe"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    flag.refresh_from_db()
    assert (flag.width, flag.height) == (800, 600)
    assert not before & photo_files(flag)
    assert stored_files(media) == photo_files(flag) | photo_files(floor)

    # Deleted with the changelist's bulk action: the same.
    answer = client.post(
        "/admin/stories/photo/",
        {"action": "delete_selected", "_selected_action": [flag.pk, floor.pk], "post": "yes"},
    )
    assert answer.status_code == 302 and not Photo.objects.exists()
    assert stored_files(media) == set()


def srcset_files(page: str) -> list[str]:
    """The storage names every srcset and src on ``page`` points to under /media/."""
    names = re.findall(r'(?:srcset|src)="([^"]+)"', page)
    urls = [part.split()[0] for value in names for part in value.split(", ")]
    return [u.removeprefix("/media/") for u in urls if u.startswith("/media/")]


def photo_story(headline: str, *photos: Photo) -> Story:
    from django.utils import timezone

    story = Story.objects.create(headline=headline, slug=headline.lower().replace(" ", "-"))
    Story.objects.filter(pk=story.pk).update(status="published", published_at=timezone.now())
    for order, photo in enumerate(photos):
        Caption.objects.create(story=story, order=order, photo=photo)
    return story


@pytest.mark.django_db(transaction=True)
def test_photos_rebuild_makes_missing_renditions_again_and_the_page_points_to_them(
    client, media, capsys
):
    from newsdesk.site.stories.photos import store_photo

    wide = store_photo((PHOTOS / JPEG).read_bytes(), name=JPEG, caption="The flag")
    tholos = store_photo((PHOTOS / "delphi-tholos.jpg").read_bytes(), name="t.jpg", caption="T")
    story = photo_story("Markets rally on rate hopes", wide, tholos)
    url = story.get_absolute_url()
    assert set(srcset_files(client.get(url).content.decode())) <= stored_files(media)

    # Three of the wide photo's renditions lost (a botched storage move).
    lost = [wide.renditions[0]["webp"], wide.renditions[2]["jpeg"], wide.renditions[4]["webp"]]
    for name in lost:
        (media / name).unlink()
    missing = [n for n in srcset_files(client.get(url).content.decode()) if n in lost]
    assert missing  # the page points to files that are gone

    assert main(["photos", "rebuild", "--missing-only"]) == 0
    report = capsys.readouterr().err
    assert f"photo {wide.pk}: 5 widths, 3 file(s) were missing" in report
    assert "photo renditions: 1 rebuilt, 1 complete and kept, 0 failed" in report
    wide.refresh_from_db()
    assert [r["width"] for r in wide.renditions] == [320, 640, 800, 1024, 1600]
    page = client.get(url).content.decode()  # the page cache was told: new names
    shown = srcset_files(page)
    assert {r["webp"] for r in wide.renditions} <= set(shown)
    assert all((media / name).is_file() for name in shown)
    # Nothing left behind: the replaced renditions left storage.
    assert stored_files(media) == photo_files(wide) | photo_files(tholos)

    # A whole rebuild (after a change of widths) makes every photo's again.
    assert main(["photos", "rebuild"]) == 0
    assert "photo renditions: 2 rebuilt, 0 complete and kept, 0 failed" in capsys.readouterr().err
    wide.refresh_from_db()
    tholos.refresh_from_db()
    assert stored_files(media) == photo_files(wide) | photo_files(tholos)

    # A photo whose original is gone is named, left as it was, and fails the run.
    before = list(tholos.renditions)
    (media / tholos.image.name).unlink()
    assert main(["photos", "rebuild", "--missing-only"]) == 1
    report = capsys.readouterr().err
    assert f"photo {tholos.pk}: original {tholos.image.name} is missing" in report
    assert "0 rebuilt, 1 complete and kept, 1 failed" in report
    assert Photo.objects.get(pk=tholos.pk).renditions == before


def test_a_portrait_is_shown_narrower_and_its_sizes_say_so(client, media):
    from newsdesk.site.stories.photos import store_photo

    portrait = "nyse-trading-floor.jpg"  # 1280 × 1606
    tall = store_photo((PHOTOS / portrait).read_bytes(), name=portrait, caption="The floor")
    wide = store_photo((PHOTOS / JPEG).read_bytes(), name=JPEG, caption="The flag")
    assert tall.portrait and not wide.portrait
    story = photo_story("Trading floor quiet", tall, wide)
    page = client.get(story.get_absolute_url()).content.decode()
    figures = re.findall(r'<figure class="([^"]+)">\s*<picture>(.*?)</picture>', page, re.S)
    (tall_class, tall_html), (wide_class, wide_html) = figures
    assert tall_class == "photo photo-lead photo-portrait" and wide_class == "photo"
    # 20rem wide at most (site.css .photo-portrait): a 412 px phone at 1.75x needs 560 px,
    # the 640 rendition, not the 800 a full-width photo takes
    assert 'sizes="(min-width: 22rem) 20rem, calc(100vw - 2rem)"' in tall_html
    assert 'sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)"' in wide_html
    assert 'width="1280" height="1606"' in tall_html
