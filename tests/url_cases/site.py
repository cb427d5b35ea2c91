from tests.url_cases import Case

CASES = [
    Case("home", default=302),  # a redirect to each role's own dashboard
    Case("healthz", public=True),
    Case("accessibility", public=True),
    Case("privacy", public=True),
    Case("login", public=True, methods=("GET", "POST"), default=302),  # signed in: sent home
    Case("logout", methods=("POST",), post_default=302),  # signed out, to the sign-in page
    Case("password_change", methods=("GET", "POST")),
    Case("password_change_done"),
]
