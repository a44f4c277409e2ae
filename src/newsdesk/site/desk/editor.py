"""The story editor: the body blocks as HTML for a rich-text editor in the admin, and back.

The desk edits the Deep Look body in django-prose-editor (ProseMirror, its scripts shipped
in the wheel). The editor allows exactly what a block can hold: paragraphs, subheads (h3),
quotes, bulleted lists and line breaks, no inline styling. What it posts is cleaned with nh3
to the tags blocks can hold, then read back into blocks:

========================  =========================================
block                     HTML
========================  =========================================
paragraph ``text``        ``<p>text</p>`` (a newline is ``<br>``)
heading ``text``          ``<h3>text</h3>``
quote ``text``            ``<blockquote><p>text</p></blockquote>``
list ``items``            ``<ul><li><p>item</p></li>…</ul>``
========================  =========================================

A body saved without a change keeps its stored blocks exactly: the browser's editor may
respace the HTML, and a save that only respaced must not rewrite the story.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

import nh3
from django import forms
from django.contrib.staticfiles import finders
from django.utils.html import escape
from django_prose_editor.fields import ProseEditorFormField

from newsdesk.article import Block
from newsdesk.site.stories.body import Body

# What the editor offers (and so what nh3 keeps): nothing a block cannot hold.
EXTENSIONS = {
    "Heading": {"levels": [3]},
    "Blockquote": True,
    "BulletList": True,
    "ListItem": True,
    "HardBreak": True,
}
HEADINGS = {f"h{n}" for n in range(1, 7)}
# What nh3 keeps of a save: the editor's tags, plus any heading level and numbered lists
# (pasted from elsewhere), read as a subhead and a list. No attributes, no inline markup.
KEPT_TAGS = {"p", "br", "blockquote", "ul", "ol", "li", *HEADINGS}


def sanitise(html: str) -> str:
    """``html`` with only ``KEPT_TAGS`` and no attributes (nh3); other tags' text is kept."""
    return nh3.clean(html, tags=KEPT_TAGS, attributes={})


def _inline(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def body_html(body: Body) -> str:
    """The editor's HTML for ``body`` (every text escaped)."""
    out = []
    for block in body:
        if block.kind == "heading":
            out.append(f"<h3>{_inline(block.text)}</h3>")
        elif block.kind == "quote":
            out.append(f"<blockquote><p>{_inline(block.text)}</p></blockquote>")
        elif block.kind == "list":
            items = "".join(f"<li><p>{_inline(i)}</p></li>" for i in block.items)
            out.append(f"<ul>{items}</ul>")
        else:
            out.append(f"<p>{_inline(block.text)}</p>")
    return "".join(out)


class _Reader(HTMLParser):
    """Collects blocks from the editor's (already cleaned) HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.kind: str | None = None  # the open top-level block
        self.parts: list[str] = []  # its paragraphs (a quote may hold several)
        self.items: list[list[str]] = []  # a list's items, each its paragraphs
        self.depth = 0

    def _text(self, piece: str) -> None:
        if self.kind == "list":
            if self.items:
                self.items[-1][-1] += piece
        elif self.kind is not None:
            self.parts[-1] += piece
        elif piece.strip():  # stray text between blocks: a paragraph of its own
            self.blocks.append(Block("paragraph", piece))

    def handle_starttag(self, tag, attrs):
        if self.kind is None:
            if tag in ("ul", "ol"):
                self.kind, self.items = "list", []
            elif tag == "blockquote":
                self.kind, self.parts = "quote", []
            elif tag in HEADINGS:
                self.kind, self.parts = "heading", [""]
            elif tag == "p":
                self.kind, self.parts = "paragraph", [""]
            elif tag == "br":
                return
            else:
                return
            self.depth = 1
            return
        if tag == "br":
            self._text("\n")
            return
        self.depth += 1
        if self.kind == "list" and tag == "li":
            self.items.append([""])
        elif self.kind == "list" and tag == "p" and self.items and self.items[-1][-1]:
            self.items[-1].append("")
        elif self.kind == "quote" and tag in ("p", *HEADINGS):
            self.parts.append("")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and self.kind is not None:
            self._text("\n")

    def handle_endtag(self, tag):
        if self.kind is None or tag == "br":
            return
        self.depth -= 1
        if self.depth > 0:
            return
        if self.kind == "list":
            self.blocks.append(Block("list", items=tuple("\n".join(i) for i in self.items)))
        elif self.kind == "quote":
            self.blocks.append(Block("quote", "\n".join(self.parts)))
        else:
            self.blocks.append(Block(self.kind, "".join(self.parts)))
        self.kind = None

    def handle_data(self, data):
        if self.kind is None and not data.strip():
            return
        self._text(data)


def body_from_html(html: str) -> Body:
    """The blocks the editor's HTML holds (clean it first: see ``BodyField``)."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    return Body.of(reader.blocks)


def _words(body: Body) -> list[tuple[str, Any]]:
    """``body`` with every run of spaces as one space: what an editor sees of it."""

    def norm(text: str) -> str:
        return " ".join(text.split())

    return [
        (b.kind, tuple(norm(i) for i in b.items) if b.kind == "list" else norm(b.text))
        for b in body
    ]


def same_body(a: Body, b: Body) -> bool:
    """Whether two bodies read the same (kinds, order and words; spacing aside)."""
    return _words(a) == _words(b)


class BodyField(ProseEditorFormField):
    """The story body in django-prose-editor; its cleaned value is the Body it holds."""

    def __init__(self, **kwargs):
        super().__init__(extensions=EXTENSIONS, sanitize=sanitise, **kwargs)

    def prepare_value(self, value):
        return body_html(value) if isinstance(value, Body) else value

    def to_python(self, value):
        if isinstance(value, Body):
            return value
        return body_from_html(self.sanitize(super().to_python(value) or ""))

    def clean(self, value):
        body = self.to_python(value)
        self.validate(body)
        self.run_validators(body)
        return body

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        before = initial if isinstance(initial, Body) else body_from_html(initial or "")
        return not same_body(before, self.to_python(data))


class StoryForm(forms.ModelForm):
    """The desk's story form: the body in the editor instead of its JSON."""

    body = BodyField(required=False, label="Deep Look body")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = Body.from_json(self.instance.blocks)
        self.fields["body"].initial = self.stored

    def clean(self):
        data = super().clean()
        body = data.get("body")
        # Unchanged (as an editor reads it): the stored blocks stay exactly as they are.
        if body is not None and not same_body(body, self.stored):
            self.instance.blocks = body.to_json()
        return data


_IMPORTMAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.DOTALL)
# TipTap (inside the editor's script) adds its base stylesheet as a <style> element.
_TIPTAP_CSS = re.compile(r"=`(\.ProseMirror \{.*?)`", re.DOTALL)


def _sha256(data: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(data).digest()).decode()}'"


@functools.cache
def _tiptap_style_hash() -> str | None:
    """The CSP hash of the stylesheet TipTap injects, read from the shipped editor script
    (None if this version of the script has none: the editor works without it)."""
    path = finders.find("django_prose_editor/editor.js")
    if not path:
        return None
    with open(path, encoding="utf-8") as script:
        found = _TIPTAP_CSS.search(script.read())
    return _sha256(found.group(1).encode()) if found else None


def allow_editor(response):
    """Let the editor's two inline pieces past the CSP by their hashes: the page's import map
    (a script) and TipTap's base stylesheet. A post-render callback for the change form; the
    policy stays ``'self'`` plus exactly these, so no other inline script or style runs.
    """
    update = {}
    found = _IMPORTMAP.search(response.content)
    if found:
        update["script-src"] = [_sha256(found.group(1))]
        if style := _tiptap_style_hash():
            update["style-src"] = [style]
    if update:
        response._csp_update = update
    return response
