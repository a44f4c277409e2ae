"""Imports between the site's apps run one way (docs/architecture.md draws the layers).

Read from the source with ``ast``, lazy imports inside functions included, so a change that
makes an app reach back up fails here with the module and the import named.
"""

import ast
from pathlib import Path

import newsdesk.site

SITE = Path(newsdesk.site.__file__).parent

#: What each app's own code (models, services, signals, tasks…) may import of the other apps.
#: ``stories`` is the base and imports no other app; ``front`` composes the reader pages and
#: nothing imports it.
ALLOWED = {
    "stories": set(),
    "search": {"stories"},
    "ratings": {"stories"},
    "desk": {"stories", "search"},
    "ingestion": {"stories", "search", "desk"},
    "clusters": {"stories"},
    "distribution": {"stories", "clusters"},
    "newsletters": {"stories", "ratings", "desk"},
    "api": {"stories", "search", "ingestion", "clusters"},
    "front": {"stories", "search", "ratings", "distribution", "clusters"},
}
#: The presentation modules (Django admin, views, URLs, template tags) sit above every app's
#: own code: they may use any app but ``front`` (the desk's admin offers copy-in from
#: ingestion, and shows ratings), and no app's own code imports them.
UI = {"admin", "views", "urls", "templatetags"}


def _modules():
    for path in sorted(SITE.rglob("*.py")):
        rel = path.relative_to(SITE)
        if "migrations" in rel.parts:
            continue
        yield rel, ast.parse(path.read_text(), filename=str(path))


def _imported(tree) -> list[str]:
    """Every ``newsdesk.site.*`` module a tree imports, wherever the import statement is."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "newsdesk.site":
                out += [f"newsdesk.site.{a.name}" for a in node.names]
            else:
                out.append(node.module)
    return [m for m in out if m.startswith("newsdesk.site.")]


def _is_ui(parts: tuple[str, ...]) -> bool:
    return any(p.removesuffix(".py") in UI for p in parts[1:])


def _edges():
    """(importing module, its node, imported module, its node) across apps; a node is an app,
    or ``app:ui`` for its presentation modules, or the site-level module's own name."""
    for rel, tree in _modules():
        me = rel.parts[0].removesuffix(".py")
        mine = f"{me}:ui" if me in ALLOWED and _is_ui(rel.parts) else me
        for module in _imported(tree):
            parts = tuple(module.split(".")[2:])
            if parts[0] == me:
                continue
            theirs = f"{parts[0]}:ui" if parts[0] in ALLOWED and _is_ui(parts) else parts[0]
            yield str(rel), mine, module, theirs


def test_each_app_imports_only_the_apps_below_it():
    wrong = [
        f"{rel} imports {module}"
        for rel, mine, module, theirs in _edges()
        if mine in ALLOWED and theirs.split(":")[0] in ALLOWED and theirs not in ALLOWED[mine]
    ]
    assert not wrong, wrong


def test_every_app_has_its_place_in_the_table():
    # A new app outside ALLOWED would escape every rule above.
    apps = {p.parent.name for p in SITE.glob("*/apps.py")}
    assert apps == set(ALLOWED), apps ^ set(ALLOWED)


def test_stories_is_the_base_and_nothing_imports_front():
    edges = list(_edges())
    assert not [f"{r} imports {m}" for r, mine, m, t in edges if mine == "stories" and t in ALLOWED]
    assert not [f"{r} imports {m}" for r, _, m, theirs in edges if theirs.startswith("front")]


def test_presentation_modules_are_imported_only_by_presentation_modules():
    wrong = [
        f"{rel} imports {module}"
        for rel, mine, module, theirs in _edges()
        if theirs.endswith(":ui") and mine in ALLOWED
    ]
    assert not wrong, wrong


def test_no_import_cycle_between_apps():
    graph: dict[str, set[str]] = {}
    for _, mine, _, theirs in _edges():
        graph.setdefault(mine, set()).add(theirs)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    assert not [node for node in graph if node in reach(node)]


def test_the_check_sees_the_imports_it_rules_on():
    # The walk finds the known edges, lazy imports included (a vacuous pass would hide drift).
    edges = {(mine, theirs) for _, mine, _, theirs in _edges()}
    assert {("ingestion", "desk"), ("desk:ui", "ingestion"), ("front:ui", "ratings")} <= edges
    assert ("desk:ui", "ratings:ui") in edges  # StoryAdmin shows the rating (a lazy import)


def test_the_library_half_imports_neither_django_nor_the_site():
    library = SITE.parent
    paths = [library / "__init__.py", library / "article.py", library / "errors.py"]
    for folder in ("parse", "summarize", "evaluate"):
        paths += sorted((library / folder).rglob("*.py"))
    wrong = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            wrong += [
                f"{path.relative_to(library)} imports {n}"
                for n in names
                if n.split(".")[0] == "django" or n.startswith("newsdesk.site")
            ]
    assert len(paths) > 20 and not wrong, wrong
