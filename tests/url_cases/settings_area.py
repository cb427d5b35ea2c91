"""The settings area: organisation administrators only (no persona of the matrix
is one, so every persona is refused; tests/organisations/test_settings_area.py
signs one in). Another organisation's job family is not found."""

from organisations.models import JobFamily
from tests.url_cases import Case


def world_family(w) -> JobFamily:
    return JobFamily.objects.get_or_create(organisation=w.org, name="Social work")[0]


def other_family(w) -> JobFamily:
    return JobFamily.objects.get_or_create(organisation=w.other_org, name="Social work")[0]


SECTIONS = (
    "organisations:settings_year",
    "organisations:settings_cadence",
    "organisations:settings_retention",
    "organisations:settings_public",
    "organisations:settings_sign_in",
    "organisations:settings_roles",
    "organisations:settings_results",
)

CASES = [
    Case("organisations:settings", default=403),
    *[Case(name, methods=("GET", "POST"), default=403) for name in SECTIONS],
    Case(
        "organisations:settings_family",
        kwargs=lambda w: {"pk": world_family(w).pk},
        other_kwargs=lambda w: {"pk": other_family(w).pk},
        methods=("GET", "POST"),
        default=403,
    ),
    Case(
        "organisations:settings_family_delete",
        kwargs=lambda w: {"pk": world_family(w).pk},
        other_kwargs=lambda w: {"pk": other_family(w).pk},
        methods=("POST",),
        post_default=403,
    ),
    # The organisation's settings history: its administrators only.
    Case(
        "insights:history",
        variant="organisation settings",
        kwargs=lambda w: {"model_label": "organisations.organisation", "pk": w.org.pk},
        other_kwargs=lambda w: {"model_label": "organisations.organisation", "pk": w.other_org.pk},
        default=403,
    ),
]
