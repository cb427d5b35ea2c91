"""The glossary on the rendered pages: each meaning in one word and one colour,
one date format per kind, and the contradictions that once crept in gone."""

import re

import pytest
from django.urls import reverse

from core import glossary
from tests.conftest import client_for

# "2 Dec 2026": a date with its month cut short (May is the same either way).
SHORT_MONTH_DATE = re.compile(r"(?<![-\w])\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) \d{4}\b")


def pages(world):
    """(persona, URL) for the pages that show statuses, dates and exceptions."""
    kpi = world.service.kpis.get(code="HO-01")
    return [
        (world.head, reverse("insights:service_dashboard", args=[world.service.pk])),
        (world.head, reverse("insights:team_dashboard")),
        (world.officer, reverse("insights:org_overview")),
        (world.officer, reverse("insights:quarterly_report")),
        (world.officer, reverse("insights:run_list")),
        (world.officer, reverse("insights:flag_list")),
        (world.staff, reverse("insights:my_page")),
        (world.officer, reverse("insights:my_page")),  # an at-risk goal
        (world.staff, reverse("organisations:kpi_list")),
        (world.staff, reverse("organisations:kpi_scorecard", args=[world.service.pk])),
        (world.staff, reverse("organisations:kpi_scorecard", args=[world.service.pk]) + "?show=exceptions"),
        (world.staff, reverse("organisations:kpi_detail", args=[kpi.pk])),
        (world.staff, reverse("organisations:structure")),
        (world.staff, reverse("organisations:service_detail", args=[world.root.pk])),
        (world.staff, reverse("appraisals:my_goals")),
    ]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def rendered(world, scenario):
    out = {}
    for persona, url in pages(world):
        response = client_for(persona).get(url)
        assert response.status_code == 200, url
        out[url if url not in out else f"{url} as {persona.user.username}"] = response.content.decode()
    return out


def test_no_page_uses_a_retired_word_or_a_second_date_format(rendered):
    for url, html in rendered.items():
        text = visible_text(html)
        for word in glossary.RETIRED:
            assert not re.search(rf"\b{word}\b", text), f"{url} says {word!r}"
        assert not SHORT_MONTH_DATE.search(text), f"{url}: {SHORT_MONTH_DATE.search(text).group(0)}"
        assert "queries" not in text, url


def test_every_status_tag_on_every_page_has_the_glossarys_colour(rendered):
    known = {}
    for group in (glossary.KPI_STATUS, glossary.GOAL_STATUS, glossary.FLAG_SEVERITY, glossary.FLAG_STATE):
        for term in group.values():
            known.setdefault(term.label, term.tag)
    seen = set()
    for url, html in rendered.items():
        for css, word in re.findall(r'<strong class="govuk-tag (govuk-tag--[a-z]+)">([^<]+)</strong>', html):
            if word in known:
                seen.add(word)
                assert css == known[word], f"{url}: {word} is {css}"
    # The pages do show these, so the check is not vacuous.
    assert {"Red", "Amber", "Green", "No result", "At risk", "On track", "High"} <= seen


def test_the_footer_links_my_data_once(rendered):
    for url, html in rendered.items():
        footer = html[html.index('<footer class="govuk-template__footer">') :]
        assert footer.count(">My data</a>") == 1, url


def test_exceptions_are_listed_with_the_rule_in_words(world, scenario, rendered):
    dashboard = visible_text(rendered[reverse("insights:service_dashboard", args=[world.service.pk])])
    assert "Exceptions: red, or amber and worsening" in dashboard
    assert "Red and worsening" not in dashboard
    report = visible_text(rendered[reverse("insights:quarterly_report")])
    assert "Exceptions: red, or amber and worsening" in report
    scorecard = rendered[reverse("organisations:kpi_scorecard", args=[world.service.pk]) + "?show=exceptions"]
    assert "Exceptions: red, or amber and worsening" in visible_text(scorecard)


def test_the_root_of_the_tree_is_the_organisation_not_a_directorate(world, rendered):
    text = visible_text(rendered[reverse("organisations:structure")])
    assert "Testshire Council (organisation, head: Cara Chief" in text
    assert "Housing (directorate, head: Hana Head" in text
    assert "Testshire Council (directorate" not in text
    detail = visible_text(rendered[reverse("organisations:service_detail", args=[world.root.pk])])
    assert "Organisation Testshire Council" in detail


def test_a_kpi_page_says_what_counts_as_a_change(world, scenario, rendered):
    kpi = world.service.kpis.get(code="HO-01")
    text = visible_text(rendered[reverse("organisations:kpi_detail", args=[kpi.pk])])
    assert "Smallest change that counts Every change counts, however small." in text
    kpi.materiality = "0.5"
    kpi.save()
    html = client_for(world.staff).get(reverse("organisations:kpi_detail", args=[kpi.pk])).content.decode()
    assert "Changes smaller than 0.5 percentage points count as no change." in visible_text(html)
