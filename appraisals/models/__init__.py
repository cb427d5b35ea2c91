from appraisals.models.agenda import AgendaTopic
from appraisals.models.goals import Goal, GoalCheckIn, GoalHorizon, GoalLevel, GoalStatus
from appraisals.models.peer_feedback import FeedbackRequest, FeedbackResponse, ResponseState
from appraisals.models.sessions import (
    Action,
    AppraisalCycle,
    Assessment,
    FeedbackSession,
    SessionKind,
    SessionState,
)
from appraisals.models.skills import RatingSource, SkillRating

__all__ = [
    "AgendaTopic",
    "FeedbackRequest",
    "FeedbackResponse",
    "ResponseState",
    "Goal",
    "GoalCheckIn",
    "GoalHorizon",
    "GoalLevel",
    "GoalStatus",
    "Action",
    "AppraisalCycle",
    "Assessment",
    "FeedbackSession",
    "SessionKind",
    "SessionState",
    "RatingSource",
    "SkillRating",
]
