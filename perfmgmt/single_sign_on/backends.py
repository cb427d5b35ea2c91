"""The authentication backends: single sign-on through the organisation's
identity provider (mozilla-django-oidc's backend, configured per sign-in from
the organisation instead of from global settings), and passwords, refused to
the people of an organisation that turned them off."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from organisations.models import Organisation
from organisations.rules.single_sign_on import Outcome, SsoSettings, choose_person, claim_value
from organisations.selectors.single_sign_on import (
    organisation_of_account,
    people_named_by,
    person_signing_in,
)
from organisations.services.single_sign_on import sso_account_link
from perfmgmt.single_sign_on import messages
from perfmgmt.single_sign_on.provider import Provider, ProviderUnavailable, signing_keys

log = logging.getLogger(__name__)

# mozilla-django-oidc's settings that are the same for every organisation; the
# ones that differ (endpoints, client) are set per sign-in from the organisation.
LIBRARY_SETTINGS = {
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso_callback",
    "OIDC_REDIRECT_FIELD_NAME": "next",
    "OIDC_TIMEOUT": 10,
    "OIDC_VERIFY_SSL": True,
    "OIDC_PROXY": None,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_CREATE_USER": False,
    "LOGIN_REDIRECT_URL": "home",
    "LOGIN_REDIRECT_URL_FAILURE": "login",
}
# Signatures with a provider's public key only: never "none" nor a shared secret.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60


def library_setting(attr: str, *default):
    if attr in LIBRARY_SETTINGS:
        return LIBRARY_SETTINGS[attr]
    return import_from_settings(attr, *default)


@dataclass(frozen=True)
class SignInAttempt:
    """What the callback knows before the backend runs: whose provider this is."""

    organisation: Organisation
    settings: SsoSettings
    provider: Provider


class Refused(Exception):
    """A single sign-on refused: what to tell the person, the name to record the
    failed sign-in under, and why, for the log."""

    def __init__(self, message: str, username: str, reason: str):
        super().__init__(reason)
        self.message, self.username, self.reason = message, username[:150], reason


class OrganisationOIDCBackend(OIDCAuthenticationBackend):
    """Acts only for the callback (which puts a ``SignInAttempt`` on the request).
    The library exchanges the code (with the PKCE verifier) and checks the nonce;
    this checks the ID token's signature against the provider's published keys,
    its issuer, audience, expiry and authorised party, then finds the person."""

    get_settings = staticmethod(library_setting)

    def __init__(self, *args, **kwargs):
        # The library's reads global settings; ours come from the attempt.
        self.UserModel = get_user_model()
        self.attempt: SignInAttempt | None = None

    def authenticate(self, request, **kwargs):
        attempt = getattr(request, "sso_attempt", None) if request is not None else None
        if attempt is None or "nonce" not in kwargs:
            return None
        self.attempt = attempt
        self.OIDC_OP_TOKEN_ENDPOINT = attempt.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = attempt.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = attempt.provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = attempt.settings.client_id
        self.OIDC_RP_CLIENT_SECRET = attempt.settings.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"  # makes the library fetch the provider's keys
        self.OIDC_RP_IDP_SIGN_KEY = None
        unnamed = f"single sign-on ({attempt.organisation.slug})"
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError) as exc:
            raise Refused(messages.not_confirmed(), unnamed, f"invalid ID token: {exc}")
        except (requests.RequestException, ProviderUnavailable, ValueError, KeyError) as exc:
            raise Refused(
                messages.unavailable(attempt.organisation), unnamed, f"provider error: {type(exc).__name__}"
            )

    # --- the ID token -------------------------------------------------------------

    def retrieve_matching_jwk(self, token):
        header = jwt.get_unverified_header(token)
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise SuspiciousOperation(f"ID token signed with {alg!r}")
        for fresh in (False, True):
            keys = [
                k for k in signing_keys(self.attempt.provider, fresh=fresh) if k.get("use", "sig") == "sig"
            ]
            if header.get("kid") is not None:
                keys = [k for k in keys if k.get("kid") == header["kid"]]
            keys = [k for k in keys if k.get("alg", alg) == alg]
            if len(keys) == 1:
                return jwt.PyJWK(keys[0], algorithm=alg)
        raise SuspiciousOperation("no key of the provider's matches the ID token's")

    def _verify_jws(self, payload, key):
        alg = jwt.get_unverified_header(payload).get("alg")
        if alg not in ALGORITHMS:
            raise SuspiciousOperation(f"token signed with {alg!r}")
        claims = jwt.decode(
            payload,
            key,
            algorithms=[alg],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.attempt.provider.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences, authorised for another")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with what the userinfo endpoint adds when the
        claim we match on is not in the token (many providers put the email there
        only). The ID token's own claims win; the two must name the same subject."""
        claims = dict(payload)
        if claim_value(claims, self.attempt.settings.claim) or not self.OIDC_OP_USER_ENDPOINT:
            return claims
        try:
            info = super().get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            raise Refused(messages.not_confirmed(), self._unnamed(), f"invalid userinfo: {exc}")
        if not isinstance(info, dict) or info.get("sub") != payload.get("sub"):
            raise Refused(messages.not_confirmed(), self._unnamed(), "userinfo names another subject")
        return {**info, **claims}

    # --- the person ---------------------------------------------------------------

    def _unnamed(self) -> str:
        return f"single sign-on ({self.attempt.organisation.slug})"

    def verify_claims(self, claims):
        return True  # get_or_create_user says why it refuses

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        organisation, settings = self.attempt.organisation, self.attempt.settings
        value = claim_value(claims, settings.claim)
        if not value:
            raise Refused(
                messages.no_claim(organisation, settings.claim), self._unnamed(), f"no {settings.claim} claim"
            )
        if settings.claim == "email" and claims.get("email_verified") is False:
            raise Refused(messages.unknown(organisation, settings, value), value, "email not verified")
        outcome, candidate = choose_person(people_named_by(organisation, settings, value))
        if outcome is Outcome.UNKNOWN:
            raise Refused(messages.unknown(organisation, settings, value), value, "no such person")
        if outcome is Outcome.AMBIGUOUS:
            raise Refused(messages.ambiguous(organisation, settings, value), value, "several people")
        employee = person_signing_in(candidate.pk)
        if outcome is Outcome.LEFT:
            name = employee.user.get_username() if employee.user else value
            raise Refused(messages.left(organisation), name, "left or account turned off")
        return sso_account_link(employee=employee)

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class PasswordBackend(ModelBackend):
    """Django's username and password, refused (even when right) to a person whose
    organisation has turned passwords off. Superusers, the operators' accounts for
    the Django admin, keep their password: the way back in when an identity
    provider fails. The request is marked so the sign-in form can point to the
    organisation's single sign-on button rather than say the password was wrong."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or user.is_superuser:
            return user
        organisation = organisation_of_account(user)
        if organisation is not None and not organisation.local_passwords_enabled:
            log.info("password sign-in refused: %s signs in with single sign-on only", organisation.slug)
            if request is not None:
                request.password_sign_in_refused = organisation
            return None
        return user
