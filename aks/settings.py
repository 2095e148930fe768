"""Settings for the Gemeinwohl-Plattform, read from the environment.

With nothing set the platform runs for a demo: SQLite under ``var/`` and Celery
tasks executed eagerly in-process. ``DATABASE_URL`` switches to PostgreSQL,
``REDIS_URL`` to a real Celery broker, ``DJANGO_DEBUG=false`` to production rules.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    # Production must never fall back to a key that is in the public repository.
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "guardian",
    "axes",
    "simple_history",
    "aks.accounts",
    "aks.mail",
    "bodies",
    "documents",
    "spaces",
    "meetings",
    "oparl",
    "aks.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised in authentication into
    # the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aks.urls"
WSGI_APPLICATION = "aks.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aks.portal.context_processors.navigation",
            ],
        },
    },
]

# Django's, with <select> rendered in Python (a long option list was most of a page).
FORM_RENDERER = "aks.renderers.FormRenderer"

# --- Database -----------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'aks.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3 with Django's own pool: connections are reused across requests
    # without a separate pgbouncer for a single-machine installation.
    DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("DATABASE_POOL", default=True):
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=1),
            "max_size": env.int("DATABASE_POOL_MAX", default=10),
            "timeout": 10,
        }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The access kernel's OR EXISTS filters make the planner's cost estimates large
    # enough to trigger JIT compilation, which then takes 40-70 ms of a 5 ms query
    # (EXPLAIN ANALYZE at scale 1). Short page queries never win it back.
    if not env.bool("DATABASE_JIT", default=False):
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and access --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "bodies.access.AccessBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user would need a username; anonymous visitors are
# handled by the access kernel's "public" level instead.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# Login throttling (django-axes): after 5 failed logins for one e-mail address from
# one client address, that pair is locked for 15 minutes; a successful login resets.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form's field is "username" (it holds the e-mail address); axes would
# otherwise look for the model's USERNAME_FIELD, "email", and count no one.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "aks.accounts.network.client_ip"
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For (compose:
# the TLS proxy in front of gunicorn = 1). 0 trusts no forwarded address at all.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXIES", default=0)

# Reverting in the admin would be a plain save past the services (poll results, the
# space lifecycle, the lock on approved minutes); history is for reading only.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Named long date formats per language (aks/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["aks.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # Zero-setup default: no broker, tasks run in-process when they are sent.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must not hang a request when Redis is down: the outbox row is already
# committed and the beat flush sends it later.
CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] = 1
# PDF rendering is the only heavy task; it gets its own queue so a long document
# never delays a mail (see `make worker` and docker-compose.yml).
CELERY_TASK_ROUTES = {"documents.tasks.render_document": {"queue": "render"}}
CELERY_TASK_CREATE_MISSING_QUEUES = True
# One beat process only (docker-compose runs exactly one); each entry scans due rows
# in the database, so a missed or doubled run changes nothing.
CELERY_BEAT_SCHEDULE = {
    "flush-outbox": {"task": "aks.mail.tasks.flush_outbox", "schedule": 60.0},
    "scan-reminders": {"task": "meetings.tasks.scan_reminders", "schedule": 900.0},
    "scan-due": {"task": "meetings.tasks.scan_due", "schedule": 3600.0},
    "extend-series": {"task": "meetings.tasks.extend_series", "schedule": 86400.0},
    "purge-registrations": {"task": "meetings.tasks.purge_registrations", "schedule": 86400.0},
    "apply-retention": {"task": "aks.portal.tasks.apply_retention", "schedule": 86400.0},
}

# Where the platform is reached from outside: links in mails and calendar feeds.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A publish never waits long for a broker that is down (the outbox catches up).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# A queued mail older than this is sent by the beat flush, not only by its own task.
MAIL_OUTBOX_GRACE_SECONDS = 30

# Registrations for public events: personal data is deleted this many days after the
# event (counts stay); at most RATE[0] registrations per client address in RATE[1]
# seconds; a form sent sooner than MIN_SECONDS after it was shown is refused as a bot.
MEETINGS_REGISTRATION_RETENTION_DAYS = env.int("MEETINGS_REGISTRATION_RETENTION_DAYS", default=30)
MEETINGS_REGISTRATION_RATE = (10, 600)
MEETINGS_REGISTRATION_MIN_SECONDS = 3

# Days before a meeting its reminder goes out.
MEETINGS_REMINDER_DAYS = env.int("MEETINGS_REMINDER_DAYS", default=2)
# Documents with more agenda items plus minute entries than this render in a worker:
# about 6.5 ms per item or entry, so 120 stays under 1 s in the request
# (measured with scripts/bench_pdf.py; figures in the README).
MEETINGS_PDF_SYNC_LIMIT = env.int("MEETINGS_PDF_SYNC_LIMIT", default=120)

# --- E-mail -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Gemeinwohl-Plattform <noreply@localhost>"
)

# --- Security ---------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Uploads (event slides): at most this many bytes in memory before Django spools to
# disk; the size limit per file is checked by the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Container and load-balancer probes talk plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Platform -----------------------------------------------------------------------
AKS_PAGE_SIZE = 50
# The space map: a tile URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png
# (mind the tile server's usage policy) and the attribution it requires. Empty: the
# markers show on a plain background and the browser contacts no other server.
SPACES_TILE_URL = env.str("SPACES_TILE_URL", default="")
SPACES_TILE_ATTRIBUTION = env.str("SPACES_TILE_ATTRIBUTION", default="")

# Content-Security-Policy (django-csp 4): scripts and styles only from our own
# static files; no inline script anywhere (htmx runs with inline styles turned off,
# see base.html). Map tiles may come from the configured tile server.
_TILE_ORIGIN = "/".join(SPACES_TILE_URL.split("/")[:3]) if SPACES_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"] + ([_TILE_ORIGIN] if _TILE_ORIGIN else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
