from django.urls import path

from .views import structure

app_name = "organisations"

urlpatterns = [
    path("organisation/", structure.structure, name="structure"),
    path("services/<int:pk>/", structure.service_detail, name="service_detail"),
    path("people/", structure.people, name="people"),
    path("people/<int:pk>/", structure.person_detail, name="person_detail"),
]
