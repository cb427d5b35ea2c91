"""``Authorization: Bearer <token>``: the organisation's API token (api.models.ApiToken)."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.selectors.tokens import token_for
from api.services.tokens import api_token_used


class TokenClient:
    """Who a token-authenticated request comes from: an organisation's system,
    not a person (``request.user``; the token is ``request.auth``)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ApiToken):
        self.token = token
        self.organisation = token.organisation

    def __str__(self) -> str:
        return f"API token {self.token.display_prefix}"

    def get_username(self) -> str:
        return str(self)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the header as 'Authorization: Bearer <token>'.")
        try:
            presented = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.")
        token = token_for(presented)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, or it has been revoked.")
        api_token_used(token)
        return TokenClient(token), token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
