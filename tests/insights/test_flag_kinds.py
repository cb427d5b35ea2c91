"""The flag-kind registry: everything about a kind derives from it."""

from insights.models import FlagKind
from insights.models.flags import PERSONAL_KINDS
from insights.rules import kinds
from insights.services import recompute
from insights.views.flags import RISK_CATEGORY_FOR_KIND


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
