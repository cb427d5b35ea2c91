from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Data warehouse API"

    def ready(self) -> None:
        from api.rest import schema  # noqa: F401  (registers the bearer token with drf-spectacular)
