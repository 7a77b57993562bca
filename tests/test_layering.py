"""The apps form a one-way stack (issue 8, part 4): an app imports only apps in lower layers.

Every module of every app is parsed with `ast`; its imports, at module level and inside
functions, absolute (`samverkan.x`, `from samverkan import x`) and relative (`from ..x`), give the
app dependency graph, which must follow `LAYERS`. A lower app that needs something from a higher
one offers a hook or registry that the higher app fills in its AppConfig.ready (core.navigation,
core.access.register_membership_source, agreements.hooks, situation.contributions, ...).

Test code may import anything (the canary and the page tests cross the whole stack): the
`tests` packages, `conftest.py` and the test helpers `testing.py` are left out. Migrations are
left out too (Django orders them itself). Models name models of other apps by label only
("organizations.Municipality"), which is no import.
"""
from __future__ import annotations

import ast
from pathlib import Path

import samverkan

ROOT = Path(samverkan.__file__).parent

# Bottom to top. An app may import only apps of strictly lower layers (apps of one layer are
# independent of each other). A new app must be placed here, or this test fails.
LAYERS: list[set[str]] = [
    {"analysis"},        # pure numerics, no Django (tests/analysis/test_no_django.py)
    {"audit"},           # the append-only log and its writer; who reads it is core.access's
    {"core"},            # access rule, scoped models, generic services, views, API, filters
    {"organizations"},   # municipalities, organisations, memberships (fills core.access)
    {"jobs"},            # background jobs and their pages
    {"accounts", "operations"},
    {"agreements"},
    {"plans", "cameras"},
    {"situation"},
    {"evaluation", "surveys"},
    {"followup", "faults", "sspf"},
    {"meetings", "participation"},
    {"demo"},            # loads every app's demo data
]

TEST_PARTS = {"tests", "migrations"}
TEST_FILES = {"conftest.py", "testing.py"}


def _apps() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").exists())


def _module_parts(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports_of(path: Path, source: str | None = None) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file (or in `source`, read as if it
    were that file), at any depth."""
    parts = _module_parts(path)
    package = parts if path.name == "__init__.py" else parts[:-1]
    found = []
    if source is None:
        source = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "samverkan":  # from samverkan import plans
                found.extend((f"samverkan.{alias.name}", node.lineno) for alias in node.names)
            else:
                found.append((module, node.lineno))
    return found


def app_dependencies() -> dict[tuple[str, str], list[str]]:
    """(importing app, imported app) -> the places ("path:line")."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if len(rel.parts) < 2 or TEST_PARTS & set(rel.parts) or path.name in TEST_FILES:
            continue  # the project's own modules (settings, urls, cli) sit above every app
        app = rel.parts[0]
        for module, line in imports_of(path):
            names = module.split(".")
            if names[0] != "samverkan" or len(names) < 2 or names[1] == app:
                continue
            edges.setdefault((app, names[1]), []).append(f"samverkan/{rel}:{line}")
    return edges


def _layer_of() -> dict[str, int]:
    return {app: i for i, layer in enumerate(LAYERS) for app in layer}


def test_every_app_has_a_layer():
    layer_of = _layer_of()
    missing = [app for app in _apps() if app not in layer_of]
    assert not missing, (
        f"Place the app(s) {missing} in LAYERS of {__file__}: above every app they import, "
        "below every app that imports them.")
    assert len(layer_of) == sum(len(layer) for layer in LAYERS), "an app is in two layers"
    assert not set(layer_of) - set(_apps()), "LAYERS names an app that does not exist"


def test_no_app_imports_a_higher_or_sibling_app():
    layer_of = _layer_of()
    wrong = []
    for (app, imported), places in sorted(app_dependencies().items()):
        if app in layer_of and imported in layer_of and layer_of[imported] >= layer_of[app]:
            wrong.append(f"{app} (layer {layer_of[app]}) imports {imported} "
                         f"(layer {layer_of[imported]}) at {', '.join(places)}")
    assert not wrong, (
        "Imports against the order of layers (a lower app offers a hook or registry that the "
        "higher app fills in its AppConfig.ready instead):\n" + "\n".join(wrong))


def test_the_graph_is_read_from_every_kind_of_import(tmp_path):
    """The parser sees relative, function-level and `from samverkan import x` imports."""
    module = ROOT / "core" / "views.py"  # a real module: its package decides relative imports
    found = dict(imports_of(module))
    assert "samverkan.core.access" in found or "samverkan.core" in found
    source = ("from .. import plans\nfrom ..agreements.models import Agreement\n"
              "def f():\n    from samverkan import meetings\n    import samverkan.followup\n")
    names = {name for name, _line in imports_of(ROOT / "core" / "probe.py", source)}
    assert {"samverkan.plans", "samverkan.agreements.models", "samverkan.meetings",
            "samverkan.followup"} <= names


def test_no_cycle_between_apps():
    """Implied by the layers, checked on its own so that a cycle is named plainly."""
    graph: dict[str, set[str]] = {}
    for app, imported in app_dependencies():
        graph.setdefault(app, set()).add(imported)
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*path[path.index(nxt):], nxt] if nxt in path else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*path, nxt]):
                return True
        state[node] = 2
        return False

    for app in sorted(graph):
        if state.get(app) is None and visit(app, [app]):
            break
    assert not cycle, "Import cycle between apps: " + " -> ".join(cycle)
