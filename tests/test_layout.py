"""The demo lives in its own app: no product module is named demo*, and none
imports the demo package (dependencies point from demo to the product only)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["organisations", "appraisals", "insights", "api", "core", "perfmgmt"]


def _modules():
    for package in PRODUCT:
        yield from sorted((ROOT / package).rglob("*.py"))


def _imports_demo(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [node.args[0].value]
        else:
            continue
        found += [n for n in names if n == "demo" or n.startswith("demo.")]
    return found


def test_the_product_packages_are_there():
    assert all((ROOT / p / "__init__.py").exists() for p in PRODUCT)
    assert len(list(_modules())) > 50


@pytest.mark.parametrize("package", PRODUCT)
def test_no_demo_module_in_a_product_package(package):
    assert [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("demo*.py")] == []


@pytest.mark.parametrize("package", PRODUCT)
def test_no_product_module_imports_the_demo(package):
    offenders = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = _imports_demo(ast.parse(path.read_text(), filename=str(path)))
        if names:
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}


def test_the_check_sees_an_import_of_the_demo():
    tree = ast.parse("from demo.structure import DEMO_ORG_SLUG\nimport demo\nimport_module('demo.kpis')\n")
    assert _imports_demo(tree) == ["demo.structure", "demo", "demo.kpis"]
    assert _imports_demo(ast.parse("from organisations import demography\nimport demos_x\n")) == []


# --- the import direction and the layout ------------------------------------------

# Lowest first: a package imports only from itself and the packages before it.
# ``api`` (the data warehouse API) reads organisations and insights; nothing
# imports it (perfmgmt only names its URLs, as a string).
LAYERS = ["core", "organisations", "appraisals", "insights", "api", "perfmgmt"]
APPS = ["organisations", "appraisals", "insights", "api"]
APP_FOLDERS = {"models", "services", "selectors", "forms", "views", "rules"}
APP_EXTRAS = {
    "__init__.py",
    "apps.py",
    "admin.py",
    "urls.py",
    "tasks.py",
    "signals.py",
    "templatetags",
    "management",
    "migrations",
    "__pycache__",
}
MAX_LINES = 400


def _first_party(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS + ["demo"])


def _upward_imports(layer: str, files) -> dict[str, list[str]]:
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    offenders = {}
    for path in files:
        bad = sorted(_first_party(ast.parse(path.read_text(), filename=str(path))) - allowed)
        if bad:
            offenders[str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name] = bad
    return offenders


@pytest.mark.parametrize("layer", LAYERS)
def test_imports_point_down_only(layer):
    assert _upward_imports(layer, sorted((ROOT / layer).rglob("*.py"))) == {}


def test_nothing_imports_the_api():
    """The API sits on top of the apps it reads: no other package imports it."""
    importers = {}
    for package in [p for p in PRODUCT if p != "api"] + ["demo"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            names = {
                alias.name.split(".")[0]
                for node in ast.walk(tree)
                if isinstance(node, ast.Import)
                for alias in node.names
            }
            names |= {
                node.module.split(".")[0]
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
            }
            if "api" in names:
                importers[str(path.relative_to(ROOT))] = "api"
    assert importers == {}


def test_the_direction_check_sees_an_upward_import(tmp_path):
    bad = tmp_path / "m.py"
    bad.write_text("from insights.models import Flag\nimport appraisals.models\nfrom core import clock\n")
    assert _upward_imports("organisations", [bad]) == {"m.py": ["appraisals", "insights"]}


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_layout(app):
    entries = {p.name for p in (ROOT / app).iterdir()}
    assert entries >= APP_FOLDERS, f"{app} lacks {sorted(APP_FOLDERS - entries)}"
    assert all((ROOT / app / folder / "__init__.py").exists() for folder in APP_FOLDERS)
    # organisations alone also holds access.py, the Viewer every view starts from;
    # api alone holds rest/, its Django REST Framework parts (authentication,
    # serializers, pagination, renderers, throttling).
    extras = APP_EXTRAS | ({"access.py"} if app == "organisations" else set())
    extras |= {"rest"} if app == "api" else set()
    assert entries - APP_FOLDERS - extras == set()


def test_no_product_file_is_over_400_lines():
    long = {}
    for package in PRODUCT + ["demo"]:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                long[str(path.relative_to(ROOT))] = lines
    assert long == {}


def _documents_cited_elsewhere(text: str, ours: set[str]) -> set[str]:
    """Upper-case ``NAME.md`` documents the text names that the repository does not
    hold, and any path that climbs out of it (``../``)."""
    named = set(re.findall(r"\b[A-Z][A-Z0-9_]*\.md\b", text)) - ours
    return named | set(re.findall(r"(?<![\w.])\.\./[\w-]+", text))


def test_code_and_docs_cite_nothing_outside_the_repository():
    """A clone holds only this repository: docs/ARCHITECTURE.md says where the
    design lives, and every document the code and docs name must be here."""
    ours = {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts and "node_modules" not in p.parts}
    cited = {}
    for path in [
        ROOT / "README.md",
        *(ROOT / "docs").rglob("*.md"),
        *_modules(),
        *(ROOT / "demo").rglob("*.py"),
    ]:
        found = _documents_cited_elsewhere(path.read_text(), ours)
        if found:
            cited[str(path.relative_to(ROOT))] = sorted(found)
    assert cited == {}


def test_the_citation_check_sees_a_document_outside_the_repository():
    text = "See PLAN.md and ../notes/x.md; README.md is ours, as is ./docs/a.md."
    assert _documents_cited_elsewhere(text, {"README.md"}) == {"PLAN.md", "../notes"}


def test_templates_never_guard_a_link_with_url_as():
    """``{% url ... as x %}{% if x %}`` drops a link silently when a URL is renamed;
    a plain ``{% url %}`` fails loudly in the tests instead."""
    guarded = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if re.search(r"\{%\s*url\s[^%]*\sas\s+\w+\s*%\}", path.read_text())
    ]
    assert guarded == []
