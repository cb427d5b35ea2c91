"""The flag-kind registry: everything about a kind derives from it."""

from django.db.models import F

from insights.models import Flag, FlagKind, FlagSeverity
from insights.models.flags import PERSONAL_KINDS, SEVERITY_RANK
from insights.rules import kinds
from insights.selectors.flags import SEVERITY_ORDER
from insights.services import recompute
from insights.views.flags import RISK_CATEGORY_FOR_KIND
from tests.insights.flag_factories import FlagFactory


def test_flag_kind_choices_come_from_the_registry_in_order():
    assert [value for value, _ in FlagKind.choices] == [k.code for k in kinds.KINDS]
    assert [label for _, label in FlagKind.choices] == [k.label for k in kinds.KINDS]


def test_personal_kinds_and_risk_categories_come_from_the_registry():
    assert set(PERSONAL_KINDS) == {k.code for k in kinds.KINDS if k.personal}
    assert {k.code: k.risk_category for k in kinds.KINDS if k.risk_category} == RISK_CATEGORY_FOR_KIND


def test_every_kind_is_described_and_its_rule_is_a_step():
    for kind in kinds.KINDS:
        assert kind.label and kind.owner and kind.severity, kind.code
        assert kind.rule_function in recompute.STEPS, kind.code
    assert len(recompute.STEPS) == len(set(recompute.STEPS)) == len({k.rule for k in kinds.KINDS})


def test_one_severity_order_for_python_and_the_database(db):
    assert SEVERITY_RANK == {FlagSeverity.LOW: 1, FlagSeverity.MEDIUM: 2, FlagSeverity.HIGH: 3}
    for severity in (FlagSeverity.LOW, FlagSeverity.HIGH, FlagSeverity.MEDIUM):
        FlagFactory(severity=severity)
    by_database = list(Flag.objects.order_by(SEVERITY_ORDER, F("pk")).values_list("severity", flat=True))
    assert by_database == sorted(by_database, key=lambda s: -SEVERITY_RANK[s])
    assert by_database[0] == FlagSeverity.HIGH and by_database[-1] == FlagSeverity.LOW
