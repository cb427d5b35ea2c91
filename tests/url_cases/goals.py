"""Goals: who gets what on every goals URL (see appraisals/rules/goal_access.py).

Individual objectives are the owner's, their management chain's, their head of
service's and performance officers'; anyone else in the organisation (``peer``,
who works beside the owner) gets 403. The world's goal is ``staff``'s objective,
so the matrix proves that refusal on every goal page.
"""

from tests.appraisals.factories import goals_of
from tests.url_cases import ACTED, Case


def staff_goal(w):
    return {"pk": goals_of(w).staff_goal.pk}


def outsider_goal(w):
    return {"pk": goals_of(w).outsider_goal.pk}


# Managers and leaders: manager (manages staff, heads the team), head (director), chief.
LEADERS_ONLY = {"staff": 403, "peer": 403, "officer": 403, "outsider": 403}
# Staff's objective: not for peer, who may not see it.
NOT_PEER = {"peer": 403}

CASES = [
    Case("appraisals:my_goals"),
    Case("appraisals:goal_propose", methods=("GET", "POST")),
    Case("appraisals:alignment"),
    Case("appraisals:goal_detail", kwargs=staff_goal, other_kwargs=outsider_goal, expect=NOT_PEER),
    # A shared goal is open to everyone in the organisation.
    Case(
        "appraisals:goal_detail",
        variant="team goal",
        kwargs=lambda w: {"pk": goals_of(w).team_goal.pk},
        other_kwargs=lambda w: {"pk": goals_of(w).other_priority.pk},
    ),
    Case(
        "appraisals:goal_check_in",
        kwargs=staff_goal,
        other_kwargs=outsider_goal,
        methods=("GET", "POST"),
        expect=NOT_PEER,
    ),
    # Agreeing staff's draft: managers above staff; not staff themselves, not
    # peer, not performance officers.
    Case(
        "appraisals:goal_agree",
        kwargs=lambda w: {"pk": goals_of(w).staff_draft.pk},
        other_kwargs=lambda w: {"pk": goals_of(w).outsider_draft.pk},
        methods=("POST",),
        post_expect={"staff": 403, "peer": 403, "officer": 403},
        post_default=ACTED,
    ),
    # Individual objectives are changed by managers above the owner; the owner
    # changes only their own draft; performance officers do not set them.
    Case(
        "appraisals:goal_edit",
        kwargs=staff_goal,
        other_kwargs=outsider_goal,
        methods=("GET", "POST"),
        expect={"staff": 403, "peer": 403, "officer": 403},
    ),
    # Shared goals: heads of service (manager heads the team) and performance
    # officers (outsider is one in their own organisation).
    Case(
        "appraisals:goal_create",
        methods=("GET", "POST"),
        expect={"staff": 403, "peer": 403, "outsider": 200},
    ),
    Case("appraisals:team_goals", expect=LEADERS_ONLY),
    Case("appraisals:goal_bulk_assign", methods=("GET", "POST"), expect=LEADERS_ONLY),
]
