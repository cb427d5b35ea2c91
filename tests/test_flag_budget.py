"""Signal, not noise: the seeded council at its default size opens at most 20 flags
per 100 staff, and each persona's "needs your attention" list holds at most ten
items, each one they may act on. Seeded on the clock's date (any day the suite
runs) and on the year end, when every year-long objective falls due at once."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from insights.models import Flag
from organisations.access import Viewer
from organisations.models import Employee, Organisation

PER_100_STAFF = 20
ATTENTION_AT_MOST = 10


def _budget() -> dict:
    council = Organisation.objects.get(slug="northshire")
    staff = Employee.objects.filter(organisation=council, active=True).count()
    open_flags = Flag.objects.filter(organisation=council).needing_attention().count()
    attention = {}
    for username in ("demo-director", "demo-manager", "demo-officer"):
        viewer = Viewer(Employee.objects.get(user__username=username))
        mine = Flag.objects.for_attention(viewer).needing_attention().select_related("employee", "service")
        attention[username] = list(mine)
        for flag in mine:
            assert flag.is_actionable_by(viewer), (username, flag.title)
    return {"staff": staff, "open": open_flags, "attention": attention}


@pytest.mark.django_db
@pytest.mark.parametrize("on", [None, "2027-03-31"], ids=["today", "year-end"])
def test_the_seeded_council_stays_within_its_flag_budget(on):
    kwargs = {"force": True, "stdout": StringIO()}
    if on:
        kwargs["today"] = on
        with time_machine.travel(f"{on} 10:00", tick=False):
            call_command("seed_demo", **kwargs)
            figures = _budget()
    else:
        call_command("seed_demo", **kwargs)
        figures = _budget()
    assert figures["staff"] == 1200
    assert figures["open"] * 100 <= PER_100_STAFF * figures["staff"], figures["open"]
    for username, items in figures["attention"].items():
        assert len(items) <= ATTENTION_AT_MOST, (username, [f.title for f in items])
    # The director's list holds no flag about one person: those are their managers' to act on.
    assert not [f for f in figures["attention"]["demo-director"] if f.employee_id]
