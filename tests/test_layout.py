"""The demo lives in its own app: no product module is named demo*, and none
imports the demo package (dependencies point from demo to the product only)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["organisations", "appraisals", "insights", "core", "perfmgmt"]


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
