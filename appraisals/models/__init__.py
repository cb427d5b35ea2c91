from appraisals.models.agenda import AgendaTopic
from appraisals.models.development import (
    DevelopmentItem,
    DevelopmentKind,
    DevelopmentStatus,
)
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
    "DevelopmentItem",
    "DevelopmentKind",
    "DevelopmentStatus",
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
