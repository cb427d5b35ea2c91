"""Reflow (WCAG 1.4.10): every data table sits in its own sideways-scrolling region,
written by ``{% scroll_table %}`` (core/templatetags/govuk.py), so no page is
wider than a 320 px screen. The browser sweep measures the pages themselves
(tests/e2e/a11y.py)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

ROOT = Path(__file__).resolve().parent.parent


def _unwrapped_tables(text: str) -> int:
    outside = re.sub(r"\{%\s*scroll_table\b.*?\{%\s*endscroll_table\s*%\}", "", text, flags=re.S)
    return len(re.findall(r"<table\b", outside))


def test_every_table_in_the_templates_is_in_a_scroll_region():
    unwrapped = {
        str(path.relative_to(ROOT)): n
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if (n := _unwrapped_tables(path.read_text()))
    }
    assert unwrapped == {}


def test_the_check_sees_a_table_outside_a_region():
    text = '{% scroll_table "a" %}<table><caption>A</caption></table>{% endscroll_table %}<table></table>'
    assert _unwrapped_tables(text) == 1


def test_the_region_is_named_by_the_caption_and_takes_the_focus():
    html = Template(
        '{% for s in services %}{% scroll_table "kpis" s.pk %}<table class="govuk-table">'
        '<caption class="govuk-table__caption">KPIs in {{ s.name }}</caption></table>'
        "{% endscroll_table %}{% endfor %}"
    ).render(Context({"services": [{"pk": 3, "name": "Housing & <Care>"}, {"pk": 4, "name": "Waste"}]}))
    assert html.count('<div class="app-table-scroll" role="region"') == 2
    assert 'aria-labelledby="kpis-3-caption" tabindex="0">' in html
    assert (
        '<caption class="govuk-table__caption" id="kpis-3-caption">'
        '<span class="app-table-scroll__caption">KPIs in Housing &amp; &lt;Care&gt;</span></caption>'
    ) in html
    assert 'id="kpis-4-caption"' in html


@pytest.mark.parametrize(
    "body",
    ["<table><tr><td>No caption</td></tr></table>", '<table><caption id="mine">Taken</caption></table>'],
)
def test_a_table_needs_a_caption_the_tag_can_name(body):
    with pytest.raises(TemplateSyntaxError):
        Template('{% scroll_table "t" %}' + body + "{% endscroll_table %}").render(Context())


def test_the_tag_needs_an_id():
    with pytest.raises(TemplateSyntaxError):
        Template("{% scroll_table %}<table><caption>A</caption></table>{% endscroll_table %}")
