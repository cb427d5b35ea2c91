"""Settings, all from the environment (django-environ).

Defaults make a fresh clone work with no services: SQLite file, Celery tasks
run eagerly in-process, local-memory cache. ``DATABASE_URL`` and ``REDIS_URL``
switch to PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    try:
        SECRET_KEY = env("DJANGO_SECRET_KEY")
        ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "With DJANGO_DEBUG off, set DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS."
        ) from exc
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name at least one host.")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "perfmgmt.apps.SuperuserAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "core",
    "organisations",
    "appraisals",
    "insights",
    "rest_framework",
    "drf_spectacular",
    "api",  # the read-only data warehouse API (docs/API.md)
    "demo",  # demo data and seed_demo; the product apps never import it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.OutboxNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perfmgmt.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perfmgmt.navigation.navigation",
            ],
            "builtins": ["core.templatetags.govuk", "core.templatetags.vocabulary"],
        },
    },
]

WSGI_APPLICATION = "perfmgmt.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a seed or a task writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # A persistent connection the database (or a proxy, or a failover) has dropped
    # is noticed and reopened at the start of the next request, not a 500.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A PostgreSQL read replica (streaming replication) for dashboards and reports:
# core/db_router.py sends there only the reads of views marked
# ``@replica_reads``, and only until the request writes. Unset (the default),
# every query goes to ``default`` as before.
DATABASE_REPLICA_ALIAS = None
if env("DATABASE_REPLICA_URL", default=""):
    DATABASE_REPLICA_ALIAS = "replica"
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests read the test database through this alias, never a second database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's passwords, refused where the person's organisation turned them off.
    "perfmgmt.single_sign_on.backends.PasswordBackend",
    # Single sign-on through the organisation's identity provider (docs/SINGLE_SIGN_ON.md).
    "perfmgmt.single_sign_on.backends.OrganisationOIDCBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# en-GB, Europe/London.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Pages format dates through core/glossary.py (the long_date and date_time filters),
# one format per kind; these settings are only the fallback for Django's own output.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Redis: Celery broker and the cache. Without it tasks run eagerly in-process
# and the cache is local memory, so a fresh clone needs no services.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="perfmgmt"),
            # A dead Redis must fail a request's cache call in seconds, not hang it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_EAGER_PROPAGATES = True
# Without a task queue, what a save asks for (a recompute, an email) runs after the
# response is sent, once for a burst of saves (core/after_response.py), so nobody
# waits for a recompute. The tests turn it off (they read what a save did at once).
WORK_AFTER_RESPONSE = env.bool("WORK_AFTER_RESPONSE", default=not REDIS_URL)
# Three queues, so recomputes (CPU and database heavy, seconds each) and email
# delivery (waits on SMTP or Notify) can run on separate worker hosts:
#   recompute  every insights.tasks.recompute* task;
#   email      delivery of the outbox's emails (core.tasks.deliver_outbox_email);
#   default    everything else (the outbox's other messages, digests, retention,
#              heartbeat, the run reaper).
# A worker started without -Q consumes all three (CELERY_TASK_QUEUES), so one
# machine needs one worker; `celery worker -Q recompute` and `-Q email,default`
# split them (docs/DEPLOYMENT.md).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue("default"), Queue("recompute"), Queue("email")]
CELERY_TASK_ROUTES = {
    "insights.tasks.recompute*": {"queue": "recompute"},
    "core.tasks.deliver_outbox_email": {"queue": "email"},
}
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Saving data must never hang on a dead broker: fail fast, log, carry on (the
# caller, core.queueing, logs it and marks the flags as possibly stale;
# the nightly run catches up). Publishing a task retries once after 0.2s, and each
# connection attempt gives up after 2s, so a refused connection fails a save's
# queueing in well under a second and an unreachable host in about four.
# (Celery's default publish policy is 3 retries, up to 1s apart, each one waiting
# on the connect timeout: 10s or more per save when the host is unreachable.)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 2,
    # A message a worker took but never acknowledged (the worker was killed) goes
    # back to the queue after this long, not Redis's default hour. Longer than any
    # task or retry wait here (no task is queued with a countdown over 5 minutes).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=15 * 60),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# A worker rides out a broker restart: it retries the connection for ever (the
# default gives up after 100 tries and exits), and on losing the connection it
# cancels tasks it cannot acknowledge any more, which the broker redelivers.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# kombu's Redis transport, except that a worker whose broker went away while it
# held unacknowledged messages (a delayed task, a task in progress) carries on
# instead of exiting with "Unrecoverable error: AttributeError(... 'hostname')".
CELERY_BROKER_TRANSPORT = "core.broker:Transport" if REDIS_URL else None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}

# Email: console by default; SMTP when EMAIL_URL is set (smtp://user:pass@host:587);
# GOV.UK Notify when NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID are set. Every email
# goes through the outbox (core/outbox.py), so a failed send is retried.
NOTIFY_API_KEY = env("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", default="")
if NOTIFY_API_KEY:
    if not NOTIFY_TEMPLATE_ID:
        raise ImproperlyConfigured("NOTIFY_API_KEY is set: set NOTIFY_TEMPLATE_ID too.")
    EMAIL_BACKEND = "core.mail.notify.NotifyEmailBackend"
elif env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="performance@example.gov.uk")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Security. Secure cookies and HSTS whenever debug is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is therefore an inactivity timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health check speaks plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The sessions index carries the employee as a covering column (INCLUDE) on
# PostgreSQL; SQLite, the demo's database, ignores that column, as is fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# django-axes: after repeated failures, lock the account (whatever the address:
# password spraying from many addresses) and, separately, the address (whatever
# the account: one address guessing across many accounts).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client address: REMOTE_ADDR, unless the site runs behind proxies that append
# to X-Forwarded-For; then set TRUSTED_PROXY_COUNT to how many (a header from a
# client is never trusted beyond that count). See core/client_ip.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A refused single sign-on is recorded with its query string: mask the one-time
# code and the state (axes's defaults, the user name and address, stay masked).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "state"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Records of sign-ins and failed sign-ins (user name, address, browser, time) are
# removed by the weekly retention task once older than this.
SIGN_IN_LOG_RETENTION_DAYS = env.int("SIGN_IN_LOG_RETENTION_DAYS", default=365)

# The data warehouse API (api/, docs/API.md): Django REST Framework, token-only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.rest.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.rest.permissions.HasTokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "api.rest.renderers.CSVRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.rest.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": False,  # numbers as numbers, for Power BI and loaders
}
# Requests per token (burst and sustained), and per address for the schema.
# DRF's "N/second|minute|hour|day"; a request over a rate is a 429 with Retry-After.
API_THROTTLE_RATES = {
    "burst": env("API_THROTTLE_BURST", default="120/minute"),
    "sustained": env("API_THROTTLE_SUSTAINED", default="20000/day"),
    "anonymous": env("API_THROTTLE_ANONYMOUS", default="60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Performance management data warehouse API",
    "DESCRIPTION": (
        "Read-only: services, KPIs with their latest result, targets, results, and workforce and "
        "supervision figures by service, for one organisation (the token's). People only with the "
        "people scope. JSON, or CSV with ?format=csv."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# People imports from the HR system (docs/HR_IMPORT.md): the largest file and the most people one import takes.
PEOPLE_IMPORT_MAX_BYTES = env.int("PEOPLE_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
PEOPLE_IMPORT_MAX_ROWS = env.int("PEOPLE_IMPORT_MAX_ROWS", default=20_000)
