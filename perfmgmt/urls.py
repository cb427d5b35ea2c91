from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from insights.views import home
from perfmgmt import views as site
from perfmgmt.single_sign_on import views as sso

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("insights.urls")),
    path("healthz", site.healthz, name="healthz"),
    path("accessibility/", site.accessibility, name="accessibility"),
    path("privacy/", site.privacy, name="privacy"),
    path("accounts/login/", login_not_required(site.SignInView.as_view()), name="login"),
    path("accounts/sso/<slug:slug>/", login_not_required(sso.SsoStart.as_view()), name="sso_start"),
    path("accounts/oidc/callback/", login_not_required(sso.SsoCallback.as_view()), name="sso_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", site.PasswordChange.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("organisations.urls")),
    path("", include("appraisals.urls")),
    path("", include("api.urls")),
    path("admin/", admin.site.urls),
]
