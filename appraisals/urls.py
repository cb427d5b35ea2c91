from django.urls import path

from appraisals.views import agenda, cycles, development, goal_setting, goals, peer_feedback, sessions, skills

app_name = "appraisals"

urlpatterns = [
    # Goals and the golden thread
    path("goals/", goals.my_goals, name="my_goals"),
    path("goals/propose/", goal_setting.goal_propose, name="goal_propose"),
    path("goals/new/", goal_setting.goal_create, name="goal_create"),
    path("goals/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("goals/<int:pk>/check-in/", goals.goal_check_in, name="goal_check_in"),
    path("goals/<int:pk>/agree/", goal_setting.goal_agree, name="goal_agree"),
    path("goals/<int:pk>/edit/", goal_setting.goal_edit, name="goal_edit"),
    path("team-goals/", goals.team_goals, name="team_goals"),
    path("team-goals/assign/", goal_setting.goal_bulk_assign, name="goal_bulk_assign"),
    path("alignment/", goals.alignment, name="alignment"),
    # Feedback sessions
    path("sessions/", sessions.my_sessions, name="my_sessions"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/change/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/share/", sessions.session_share, name="session_share"),
    path("sessions/<int:pk>/acknowledge/", sessions.session_acknowledge, name="session_acknowledge"),
    path("people/<int:employee_pk>/sessions/", sessions.employee_sessions, name="employee_sessions"),
    path("people/<int:employee_pk>/sessions/new/", sessions.session_create, name="session_create"),
    path("actions/<int:pk>/done/", sessions.action_done, name="action_done"),
    # The shared agenda of the next one-to-one
    path("people/<int:employee_pk>/agenda/", agenda.agenda, name="agenda"),
    path("agenda/topics/<int:pk>/remove/", agenda.agenda_topic_delete, name="agenda_topic_remove"),
    # Feedback from colleagues (peer and 360)
    path("feedback/", peer_feedback.feedback_home, name="feedback"),
    path("people/<int:employee_pk>/feedback/ask/", peer_feedback.feedback_ask, name="feedback_ask"),
    path("feedback/requests/<int:pk>/", peer_feedback.feedback_request_detail, name="feedback_request"),
    path(
        "feedback/requests/<int:pk>/release/", peer_feedback.feedback_request_release, name="feedback_release"
    ),
    path("feedback/responses/<int:pk>/", peer_feedback.feedback_answer, name="feedback_answer"),
    # Appraisal cycles
    path("appraisal-cycles/", cycles.cycle_list, name="cycle_list"),
    path("appraisal-cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("appraisal-cycles/<int:year>/", cycles.cycle_detail, name="cycle_detail"),
    path("my/skills/", skills.my_skills, name="my_skills"),
    path("people/<int:employee_pk>/development/", development.development_plan, name="development_plan"),
    path(
        "people/<int:employee_pk>/development/new/", development.development_create, name="development_create"
    ),
    path("development/<int:pk>/", development.development_item, name="development_item"),
    path("development/<int:pk>/change/", development.development_edit, name="development_edit"),
    path("development/<int:pk>/complete/", development.development_complete, name="development_complete"),
]
