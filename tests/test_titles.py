"""Every title ends with the service's name, never the web address."""

from django.test import Client
from django.urls import reverse


def test_sign_in_title_names_the_service_not_the_host(db):
    html = Client().get(reverse("login")).content.decode()
    assert "<title>Sign in – Performance management</title>" in html
