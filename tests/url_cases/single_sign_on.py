"""Single sign-on: the start (to the organisation's identity provider) and the
callback (the redirect URI registered with every provider). Both are open to
everyone; signed in, both send the person home."""

from tests.url_cases import Case

CASES = [
    # The world's organisation has no single sign-on: a 404 signed out; signed in, home.
    Case(
        "sso_start",
        kwargs=lambda w: {"slug": w.org.slug},
        public=True,
        default=302,
        expect={"outsider": 302},
    ),
    # Open to everyone, but a callback with no sign-in in progress sends an anonymous
    # visitor to the sign-in page (with a message), as the matrix expects of a page
    # that is not public; a signed-in person goes home.
    Case("sso_callback", default=302),
]
