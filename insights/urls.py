from django.urls import path

from .views import flags

app_name = "insights"

urlpatterns = [
    path("flags/", flags.flag_list, name="flag_list"),
    path("flags/<int:pk>/", flags.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/acknowledge/", flags.flag_acknowledge_view, name="flag_acknowledge"),
    path("flags/<int:pk>/dismiss/", flags.flag_dismiss_view, name="flag_dismiss"),
]
