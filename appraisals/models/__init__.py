from .goals import Goal, GoalCheckIn, GoalHorizon, GoalLevel, GoalStatus
from .sessions import Action, AppraisalCycle, Assessment, FeedbackSession, SessionKind, SessionState
from .skills import RatingSource, SkillRating

__all__ = [
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
