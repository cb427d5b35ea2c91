"""The architecture, checked: views read through the visibility rules, never
``Model.objects`` directly, so no page can skip who-sees-what."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_APPS = ("organisations", "appraisals", "insights", "api")


def _view_modules() -> list[Path]:
    files = []
    for app in PRODUCT_APPS:
        views = ROOT / app / "views"
        files += sorted(views.glob("*.py")) if views.is_dir() else []
        if (ROOT / app / "views.py").exists():
            files.append(ROOT / app / "views.py")
    return files


def _direct_queries(path: Path) -> list[str]:
    """Every ``<Name>.objects`` in a module, with its line."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return [
        f"{name}:{node.lineno}: {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
    ]


def test_there_are_views_to_check():
    assert len(_view_modules()) >= 15


def test_views_never_query_models_directly():
    """A view starts every read from ``visible(Model, viewer)``, ``in_organisation``,
    a selector or a related manager of an object it was allowed to fetch."""
    found = [hit for path in _view_modules() for hit in _direct_queries(path)]
    assert not found, "Views must read through organisations.access.visible() or a selector:\n" + "\n".join(
        found
    )


def test_the_check_finds_a_direct_query(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def page(request):\n    return Goal.objects.all()\n")
    assert _direct_queries(bad) == ["views.py:2: Goal.objects"]


def test_every_tenant_model_answers_visible_to():
    """Each model that holds something about a person or an organisation has a
    queryset ``visible_to(viewer)``."""
    from django.apps import apps

    missing = []
    for app in PRODUCT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model.__name__ == "Organisation":
                continue
            if not hasattr(model._default_manager, "visible_to"):
                missing.append(model.__name__)
    assert not missing, f"Models without visible_to(viewer): {missing}"


def test_pure_flag_rules_make_no_queries():
    """The flag-kind registry, the thresholds and the skills rules are plain
    values in, plain values out: their reads are in insights/selectors/."""
    pure = ["kinds.py", "thresholds.py", "skills.py", "skills_flags.py"]
    found = [hit for name in pure for hit in _direct_queries(ROOT / "insights" / "rules" / name)]
    assert not found, "\n".join(found)


def test_the_skills_step_files_stay_small():
    files = [
        ROOT / "insights" / "rules" / "skills.py",
        ROOT / "insights" / "rules" / "skills_flags.py",
        ROOT / "insights" / "selectors" / "skills.py",
        ROOT / "insights" / "services" / "skill_gaps.py",
        ROOT / "insights" / "services" / "recompute.py",
        ROOT / "insights" / "rules" / "kinds.py",
    ]
    long = [f"{p.relative_to(ROOT)}: {n}" for p in files if (n := len(p.read_text().splitlines())) > 400]
    assert not long, long
