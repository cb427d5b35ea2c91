from django.urls import path

from .views import risks, structure

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
    path("risks/", risks.risk_register, name="risk_register"),
    path("risks/matrix/", risks.risk_matrix_view, name="risk_matrix"),
    path("risks/new/", risks.risk_create_view, name="risk_create"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk_detail"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/actions/new/", risks.risk_action_add_view, name="risk_action_add"),
    path("risks/actions/<int:pk>/done/", risks.risk_action_done_view, name="risk_action_done"),
]
