from django.urls import path

from .views import cycles, sessions

app_name = "appraisals"

urlpatterns: list = [
    # Feedback sessions
    path("sessions/", sessions.my_sessions, name="my_sessions"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/change/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/share/", sessions.session_share, name="session_share"),
    path("sessions/<int:pk>/acknowledge/", sessions.session_acknowledge, name="session_acknowledge"),
    path("people/<int:employee_pk>/sessions/", sessions.employee_sessions, name="employee_sessions"),
    path("people/<int:employee_pk>/sessions/new/", sessions.session_create, name="session_create"),
    path("actions/<int:pk>/done/", sessions.action_done, name="action_done"),
    # Appraisal cycles
    path("appraisal-cycles/", cycles.cycle_list, name="cycle_list"),
    path("appraisal-cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("appraisal-cycles/<int:year>/", cycles.cycle_detail, name="cycle_detail"),
]
