"""One vocabulary (core/glossary.py): every status has one word and one tag
colour, the templates use them and nothing else, and dates have one format per kind."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template

from appraisals.models import GoalStatus
from core import glossary
from insights.models import FlagSeverity
from insights.models.runs import RunStatus
from organisations.models import Status
from organisations.rules import kpis as kpi_rules

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


# --- The glossary covers every code, and the models take their words from it --------


def test_every_kpi_status_has_one_term_in_the_order_pages_use():
    assert set(glossary.KPI_STATUS) == set(kpi_rules.STATUSES) | {glossary.NO_RESULT}
    assert set(glossary.KPI_STATUS_ORDER) == set(glossary.KPI_STATUS)
    assert glossary.KPI_STATUS_ORDER[:3] == ("red", "amber", "green")
    assert glossary.KPI_STATUS[glossary.GREY].label == "Monitoring only"
    assert glossary.KPI_STATUS[glossary.NO_RESULT].label == "No result"
    # A stored result's status reads as the glossary says, in the admin as on a page.
    assert dict(Status.choices) == {s: glossary.KPI_STATUS[s].label for s in kpi_rules.STATUSES}


def test_goal_flag_and_run_statuses_take_the_glossarys_words():
    assert dict(GoalStatus.choices) == {c: t.label for c, t in glossary.GOAL_STATUS.items()}
    assert dict(FlagSeverity.choices) == {c: t.label for c, t in glossary.FLAG_SEVERITY.items()}
    assert dict(RunStatus.choices) == {c: t.label for c, t in glossary.RUN_STATUS.items()}
    assert set(glossary.DIRECTION) == set(kpi_rules.DIRECTIONS) == set(glossary.DIRECTION_ARROWS)


def test_amber_and_at_risk_are_the_same_orange_everywhere():
    assert glossary.KPI_STATUS["amber"].tag == glossary.GOAL_STATUS["at_risk"].tag == "govuk-tag--orange"
    assert glossary.KPI_STATUS["red"].tag == glossary.GOAL_STATUS["off_track"].tag == "govuk-tag--red"


def test_every_term_has_a_meaning_in_words():
    groups = [
        glossary.KPI_STATUS,
        glossary.DIRECTION,
        glossary.GOAL_STATUS,
        glossary.FLAG_SEVERITY,
        glossary.FLAG_STATE,
        glossary.RUN_STATUS,
        glossary.TAGS,
        glossary.COMPLIANCE,
    ]
    for group in groups:
        for code, term in group.items():
            assert term.label and term.meaning.endswith("."), code
            assert term.tag.startswith("govuk-tag--"), code


def test_exception_rules_in_words():
    assert glossary.DEFAULT_EXCEPTION_RULE == glossary.EXCEPTIONS_RED_OR_AMBER_WORSENING
    assert glossary.exception_rule_words("red_or_amber_worsening") == "red, or amber and worsening"
    assert glossary.exception_rule_words("red") == "red"
    assert glossary.exception_rule_words("red_or_amber") == "red or amber"
    assert [c for c, _ in glossary.EXCEPTION_RULE_CHOICES] == list(glossary.EXCEPTION_RULES)


# --- The tags: one rendering per meaning ----------------------------------------------


@pytest.mark.parametrize("status", [*glossary.KPI_STATUS_ORDER, None])
def test_the_status_tags_agree_on_every_page(status):
    """The scorecard's ``kpi_status`` and the dashboards' ``status_tag`` are one tag."""
    term = glossary.kpi_status(status)
    expected = f'<strong class="govuk-tag {term.tag}">{term.label}</strong>'
    for source in (
        "{% status_tag s %}",
        "{% kpi_status s %}",
        "{% load kpi_tags dashboard_tags %}{% status_tag s %}",
    ):
        assert render(source, s=status) == expected
    assert render("{% kpi_status s False %}", s="green") == render("{% status_tag None %}")


@pytest.mark.parametrize("value", [*glossary.DIRECTION, None])
def test_the_direction_tags_agree_on_every_page(value):
    one = render("{% load dashboard_tags %}{% direction d %}", d=value)
    assert one == render("{% load kpi_tags %}{% kpi_direction d %}", d=value)
    if value is None:
        assert "No comparison available" in one
    else:
        assert glossary.DIRECTION[value].label in one and glossary.DIRECTION[value].tag in one
        assert 'aria-hidden="true">' + glossary.DIRECTION_ARROWS[value] in one


def test_goal_status_tags_are_one_tag():
    for code, term in glossary.GOAL_STATUS.items():
        html = render("{% goal_status s %}", s=code)
        assert html == f'<strong class="govuk-tag {term.tag}">{term.label}</strong>'

        class Goal:
            status = code

        assert render("{% load dashboard_tags goal_tags %}{% goal_status_tag g %}", g=Goal()) == html


# --- Templates spell no status or date of their own ------------------------------------

LITERAL_TAG = re.compile(r'<strong class="govuk-tag (govuk-tag--[a-z]+)">([A-Z][a-z]+(?: [a-z]+)*)')


def _glossary_tags() -> dict[str, str]:
    """Every label the glossary defines, with its tag class."""
    tags = {}
    for group in (
        glossary.KPI_STATUS,
        glossary.GOAL_STATUS,
        glossary.FLAG_SEVERITY,
        glossary.FLAG_STATE,
        glossary.RUN_STATUS,
        glossary.TAGS,
    ):
        for term in group.values():
            tags.setdefault(term.label, term.tag)
    return tags


def test_a_tag_written_into_a_template_has_the_glossarys_colour():
    """Where a template still writes a tag by hand ("Overdue", "Above threshold"),
    a word the glossary defines has the glossary's colour: "Overdue" is red on the
    scorecard as on My page."""
    known = _glossary_tags()
    wrong = [
        f"{path.relative_to(ROOT)}: {word} is {css}, not {known[word]}"
        for path in TEMPLATES
        for css, word in LITERAL_TAG.findall(path.read_text())
        if word in known and known[word] != css
    ]
    assert wrong == []


def test_the_check_sees_a_tag_in_the_wrong_colour():
    assert LITERAL_TAG.findall('<strong class="govuk-tag govuk-tag--yellow">Overdue</strong>') == [
        ("govuk-tag--yellow", "Overdue")
    ]


def test_templates_format_dates_only_through_the_glossary():
    """``|long_date`` ("2 December 2026") and ``|date_time`` ("2 December 2026,
    14:05"); ``|date`` only for machine-read ISO dates in links, ``|time`` never
    (a moment is one date_time, not a date "at" a time)."""
    offenders = [
        f"{path.relative_to(ROOT)}: {m}"
        for path in TEMPLATES
        for m in re.findall(r"\|(?:date|time)\b(?::[\"'][^\"']*[\"'])?", path.read_text())
        if m not in ("|date:'Y-m-d'", '|date:"Y-m-d"')
    ]
    assert offenders == []


@pytest.mark.parametrize("word", sorted(glossary.RETIRED))
def test_no_template_uses_a_retired_status_word(word):
    pattern = re.compile(rf">\s*{re.escape(word)}\s*<")  # as the text of an element: a label
    assert [str(p.relative_to(ROOT)) for p in TEMPLATES if pattern.search(p.read_text())] == []


# --- Dates and durations ------------------------------------------------------------


def test_one_date_format_per_kind(settings):
    settings.TIME_ZONE = "Europe/London"
    assert glossary.long_date(date(2026, 12, 2)) == "2 December 2026"
    assert glossary.long_date(None) == ""
    summer = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 July in London
    assert glossary.long_date(summer) == "2 July 2026"
    assert glossary.date_time(summer) == "2 July 2026, 00:30"
    assert render("{{ d|long_date }} {{ t|date_time }}", d=date(2026, 3, 9), t=summer) == (
        "9 March 2026 2 July 2026, 00:30"
    )


def test_durations_read_as_words():
    assert glossary.days(0) == "the same day"
    assert glossary.days(1) == "1 day"
    assert glossary.days(1.0) == "1 day"
    assert glossary.days(3) == "3 days"
    assert glossary.days(2.5) == "2.5 days"
    assert glossary.days(1200) == "1,200 days"
