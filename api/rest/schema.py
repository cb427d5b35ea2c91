"""The OpenAPI schema's description of the bearer token (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.rest.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's API token: 'Authorization: Bearer pmk_...'. "
            "Organisation administrators create them under Settings, API tokens.",
        }
