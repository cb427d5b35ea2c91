from django.urls import path

from .views import goals

app_name = "appraisals"

urlpatterns = [
    # Goals and the golden thread
    path("goals/", goals.my_goals, name="my_goals"),
    path("goals/propose/", goals.goal_propose, name="goal_propose"),
    path("goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/check-in/", goals.goal_check_in, name="goal_check_in"),
    path("goals/<int:pk>/agree/", goals.goal_agree, name="goal_agree"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("team-goals/", goals.team_goals, name="team_goals"),
    path("team-goals/assign/", goals.goal_bulk_assign, name="goal_bulk_assign"),
    path("alignment/", goals.alignment, name="alignment"),
]
