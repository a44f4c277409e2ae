"""Every reader page type in real Chromium: screenshots, layout checks and axe-core.

The demo site is loaded as `newsdesk serve` loads it: its stories and the photos shipped
with it, stored by the site with their renditions and attached to their stories. Stories
about markets are tagged, for a tag page. Screenshots of each page at 1280 and 390 px go to
tests/browser/artifacts/ (kept by CI as test artifacts).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTHS = (1280, 390)
WITH_PHOTO = "First A380 enters commercial service"  # a wide photo, CC BY-SA: credit shown
PORTRAIT = "Stock markets worldwide fall dramatically"  # its photo is 1280 × 1606


@pytest.fixture
def site(live_server, settings, tmp_path):
    """The demo site with its photos, a tag on the market stories; the pages to check."""
    from newsdesk.site.ingestion.demo import load_demo
    from newsdesk.site.stories.models import Edition, Section, Story, Tag

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    with_photo = Story.objects.get(headline=WITH_PHOTO)
    assert with_photo.captions.filter(photo__isnull=False).exists()
    assert Story.objects.get(is_top_story=True).captions.filter(photo__isnull=False).exists()
    without = Story.objects.published().filter(captions__isnull=True).first()
    tag = Tag.objects.create(name="Markets", slug="markets")
    tag.stories.add(*Story.objects.filter(headline__icontains="market"))
    assert tag.stories.filter(captions__photo__isnull=False).exists()
    section = with_photo.sections.first()
    edition = Edition.objects.filter(stories__captions__photo__isnull=False).first()
    assert section is not None and edition is not None and without is not None
    assert Section.objects.filter(in_menu=True).count() >= 5
    return {
        "home": "/",
        "story-photo": with_photo.get_absolute_url(),
        "story-no-photo": without.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "edition": edition.get_absolute_url(),
        "editions": "/editions/",
        "search": "/search/?q=market",
        "404": "/no-such-page/",
    }


def open_page(browser, url, width, scheme="light", motion="no-preference"):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        reduced_motion=motion,
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    return context, page, errors


def overlaps(boxes):
    """Pairs of (name, box) whose rectangles intersect."""
    found = []
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1 :]:
            if (
                ra["x"] < rb["x"] + rb["width"]
                and rb["x"] < ra["x"] + ra["width"]
                and ra["y"] < rb["y"] + rb["height"]
                and rb["y"] < ra["y"] + ra["height"]
            ):
                found.append((a, b))
    return found


HEADER_PARTS = """() => [...document.querySelectorAll(
  '.masthead-inner > *, .masthead-inner > details > summary')]
  .filter(e => e.tagName !== 'DETAILS' && e.getClientRects().length)
  .map(e => [e.className || e.tagName, e.getBoundingClientRect().toJSON()])"""


def test_every_page_type_screenshots_layout_and_dark_mode(site, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in site.items():
        url = live_server.url + path
        for width in (*WIDTHS, 320):
            context, page, errors = open_page(browser, url, width)
            if width in WIDTHS:
                # scroll through once so lazy photos below the fold load before the shot
                page.evaluate(
                    "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                    " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }"
                    " window.scrollTo(0, 0); await Promise.all([...document.images].map("
                    " i => i.complete ? 0 : new Promise(r => { i.onload = i.onerror = r; })))}"
                )
                shot = ARTIFACTS / f"{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot: {shot.relative_to(ROOT)}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name} scrolls sideways at {width}px ({scroll}px wide)"
            clash = overlaps(page.evaluate(HEADER_PARTS))
            assert not clash, f"{name} at {width}px: header parts overlap: {clash}"
            unsized = page.evaluate(
                "[...document.images].filter(i => !i.getAttribute('width')"
                " || !i.getAttribute('height')).map(i => i.src)"
            )
            assert not unsized, f"{name}: images without width/height: {unsized}"
            # every photo is the site's own, never hot-linked from elsewhere
            foreign = page.evaluate(
                "[...document.images].map(i => i.currentSrc || i.src)"
                ".filter(u => u && new URL(u).origin !== location.origin)"
            )
            assert not foreign, f"{name}: images from elsewhere: {foreign}"
            assert not [e for e in errors if "Content Security Policy" in e], errors
            context.close()
        context, page, _ = open_page(browser, url, 390, scheme="dark")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        ink = page.evaluate("getComputedStyle(document.body).color")
        assert background == "rgb(20, 20, 22)" and ink == "rgb(236, 235, 230)", (name, background)
        if name == "story-photo":
            page.screenshot(path=str(ARTIFACTS / "story-photo-390-dark.png"), full_page=True)
        context.close()


def test_photos_load_and_stories_without_one_are_set_in_type(site, live_server, browser):
    context, page, _ = open_page(browser, live_server.url + site["story-photo"], 1280)
    photo = page.locator("figure.photo-lead img")
    assert photo.evaluate("i => i.complete && i.naturalWidth > 0")
    # Chromium picks the WebP rendition that fits the 46rem column (736 px at 1x): 800 px
    assert photo.evaluate("i => i.currentSrc").endswith("-800.webp")
    assert photo.get_attribute("fetchpriority") == "high"
    credit = page.locator("figure.photo-lead .credit")
    assert credit.inner_text() == "(Photo: Bahnfrend, CC BY-SA 4.0 (cropped and resized) · licence)"
    licence = credit.locator("a.licence")
    assert licence.get_attribute("href") == "https://creativecommons.org/licenses/by-sa/4.0/"
    context.close()
    # A portrait is shown narrower (20rem at most), and a phone (Lighthouse's: 412 px at 1.75x)
    # fetches the rendition for that width, 640 px, not the 800 a full-width photo takes.
    from newsdesk.site.stories.models import Story

    portrait = Story.objects.get(headline=PORTRAIT)
    phone = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75)
    page = phone.new_page()
    page.goto(live_server.url + portrait.get_absolute_url(), wait_until="load")
    photo = page.locator("figure.photo-lead img")
    assert photo.evaluate("i => i.complete && i.naturalWidth > 0")
    assert photo.evaluate("i => i.currentSrc").endswith("-640.webp")
    shown = photo.bounding_box()
    assert shown["width"] == 320 and abs(shown["height"] - 320 * 1606 / 1280) < 1
    phone.close()
    context, page, _ = open_page(browser, live_server.url + site["story-no-photo"], 1280)
    assert page.locator("article.story img").count() == 0
    assert page.locator("#quick-looks li").count() >= 1
    context.close()
    context, page, _ = open_page(browser, live_server.url + "/", 1280)
    assert page.locator("#top-story img").evaluate("i => i.complete && i.naturalWidth > 0")
    headlines = page.locator("main .teaser-headline a, main .headlines a").all_inner_texts()
    assert len(headlines) == len(set(headlines)), "a story appears twice on the front page"
    latest = page.locator("#latest-news li a").all_inner_texts()
    assert latest and not set(latest) & set(headlines)
    context.close()


def test_the_section_menu_is_a_disclosure_on_a_phone_and_open_on_a_wide_screen(
    site, live_server, browser
):
    context, page, _ = open_page(browser, live_server.url + "/", 390)
    menu = page.locator("#menu")
    assert not menu.is_visible()
    page.locator("#menu-disclosure summary").click()
    assert menu.is_visible() and menu.locator("a").count() >= 5
    context.close()
    context, page, _ = open_page(browser, live_server.url + "/", 1280)
    assert page.locator("#menu").is_visible()
    assert page.locator("#site-search-q").is_visible()
    context.close()
    context, page, _ = open_page(browser, live_server.url + site["search"], 1280)
    assert page.locator("input[type=search]").count() == 1  # the header's box is left out
    assert page.locator(".result mark").count() >= 1
    context.close()


def test_star_preview_follows_pointer_and_keyboard(site, live_server, browser):
    # reduced motion: the stars light up without their short transition
    context, page, _ = open_page(
        browser, live_server.url + site["story-no-photo"], 1280, motion="reduce"
    )
    stars = page.locator(".star-choice .star")

    def lit():
        return [
            s.evaluate("e => getComputedStyle(e).fill") == "rgb(208, 138, 0)" for s in stars.all()
        ]

    assert lit() == [False] * 5
    page.locator(".star-choice").nth(2).hover()
    assert lit() == [True, True, True, False, False]
    page.mouse.move(0, 0)
    page.locator(".star-choice input").nth(3).focus()  # as after Tab and arrows
    page.keyboard.press("Space")  # chooses the 4th star: it and those before it light up
    assert lit() == [True, True, True, True, False]
    expect(page.locator("#rating-summary")).to_have_text("Average rating 4.0 / 5. Vote count: 1")
    fill = page.locator("#rating-average-fill").get_attribute("width")
    assert float(fill) == 96.0  # 4 of 5 stars: 4 × 24 units of the 120-unit SVG
    context.close()


def test_axe_finds_no_violations_on_any_page_type(site, live_server, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    table = []
    for name, path in site.items():
        for width, scheme in ((1280, "light"), (390, "dark")):
            context, page, _ = open_page(browser, live_server.url + path, width, scheme)
            results = axe.run(page)
            violations = results.response["violations"]
            table.append((name, width, scheme, len(violations)))
            assert not violations, f"{name} {width}px {scheme}: {results.generate_report()}"
            context.close()
    print("\naxe-core violations")
    for row in table:
        print("{:16} {:>5}px {:6} {}".format(*row))
