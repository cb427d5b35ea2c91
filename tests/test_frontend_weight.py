"""The front end's weight: static files compressed ahead of time, and the
heavy chart scripts only where a chart is drawn (see docs/ARCHITECTURE.md,
"Front-end weight")."""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

DIST = Path(settings.BASE_DIR) / "static" / "dist"


@pytest.mark.skipif(not (DIST / "css" / "main.css").exists(), reason="front end not built (npm run build)")
def test_collectstatic_with_debug_off_writes_compressed_copies(tmp_path):
    """With DEBUG off the settings choose WhiteNoise's
    CompressedManifestStaticFilesStorage: collectstatic writes a gzip copy (and
    a Brotli one when the brotli package is installed) of the CSS and
    JavaScript, which WhiteNoise serves to browsers that accept them."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
    for name in ["main.css", "chart.umd.min.js", "govuk-frontend.min.js"]:
        hashed = [p for p in tmp_path.rglob(f"{name.rsplit('.', 1)[0]}.*.{name.rsplit('.', 1)[1]}")]
        assert hashed, f"no hashed copy of {name}"
        assert Path(f"{hashed[0]}.gz").exists(), f"no gzip copy of {hashed[0].name}"
        if importlib.util.find_spec("brotli"):
            assert Path(f"{hashed[0]}.br").exists(), f"no Brotli copy of {hashed[0].name}"
        assert Path(f"{hashed[0]}.gz").stat().st_size < hashed[0].stat().st_size / 2  # the big ones


@pytest.mark.django_db
def test_a_page_without_charts_loads_no_chart_scripts(staff_client):
    html = staff_client.get(reverse("insights:my_page")).content.decode()
    assert "dist/js/app.js" in html  # GOV.UK Frontend: every page
    assert "chart.umd.min.js" not in html and "charts.js" not in html and "chart-marks.js" not in html


@pytest.mark.django_db
def test_a_page_with_charts_loads_them_and_reserves_their_space(officer_client):
    html = officer_client.get(reverse("insights:org_overview")).content.decode()
    assert "chart.umd.min.js" in html and "chart-marks.js" in html and "charts.js" in html
    assert '<div class="app-chart-slot" data-chart-slot="org-status-mix">' in html
    assert 'data-chart="bar" id="org-status-mix"' in html


def test_every_template_that_draws_a_chart_loads_the_chart_scripts():
    """A template with a chart table (or a partial of one) fills the
    chart_scripts block, or the chart would silently not be drawn."""
    templates = Path(settings.BASE_DIR) / "templates"
    partials = {"insights/_status_mix.html", "insights/_public_trend.html"}
    for path in templates.rglob("*.html"):
        name = str(path.relative_to(templates))
        text = path.read_text()
        if name in partials or name.startswith("_chart") or name == "base.html":
            continue
        draws = "data-chart=" in text or any(p in text for p in partials)
        assert draws == ("{% block chart_scripts %}" in text), name
