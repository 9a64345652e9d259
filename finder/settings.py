"""Settings for the treatment-program finder, read from the environment.

Development needs nothing set: DEBUG is on, the database is SQLite in the project folder.
Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (see README); with DEBUG off
every HTTPS protection is on by default, so `manage.py check --deploy` passes with no warning.
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: "120/min", "5000/day"."""
    value = os.environ.get(name) or default
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must be a rate like 120/min or 5000/day, not {value!r}")
    return value


DEBUG = env_bool("DEBUG", True)

# The development key is public; refusing it outside DEBUG keeps it out of production.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development key is refused when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_filters",
    "phonenumber_field",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "programs",
    "reports",
    "providers",
    "finder",
    "benchmarks",  # manage.py bench_search
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "finder.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (a results page: about 70 KB to 10 KB, a third of a second on a slow phone
    # line); after WhiteNoise, which serves static files already compressed. Django's gzip pads
    # each response with random bytes against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # Before CommonMiddleware, so preflight and error responses get the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Offers the Spanish page at / to a browser that prefers Spanish (after the page cache).
    "finder.middleware.SpanishOfferMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the staff user behind each change in the listings' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "finder.api.middleware.ApiConditionalGetMiddleware",
    # "The database cannot be reached" from a view becomes the friendly 503, not a 500.
    "finder.health.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finder.urls"
WSGI_APPLICATION = "finder.wsgi.application"

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
                "finder.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable database fails a request in seconds (the 503 page) rather than hanging it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The shared cache (the report form's rate limit lives here): Redis when REDIS_URL is set, so
# every app server counts together; this process's memory otherwise (development, tests).
# Redis may fail: finder.cache answers as a miss then, after at most these socket timeouts
# (seconds; a hung Redis otherwise holds a request until gunicorn kills the worker).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.25)
CACHES = {
    "default": {
        "BACKEND": "finder.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Background jobs (admin imports): queued in the database, run by `manage.py db_worker`, so a
# small install needs nothing new and any number of workers can share the queue.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out staff member is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

PHONENUMBER_DEFAULT_REGION = "US"
# Stored as E.164 (the DB format); shown to staff and visitors as (415) 555-0100.
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# Search: how many results a page shows, and the radius choices in miles.
SEARCH_PAGE_SIZE = 20
# Seconds a search page is kept in the shared cache (finder/page_cache.py); 0 turns it off. Off
# in development by default, so an edited template shows at once.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 0 if DEBUG else 120)
# New pages one client may add to that cache per minute (the bound: see finder/page_cache.py).
SEARCH_CACHE_NEW_PAGES_PER_CLIENT = env_int("SEARCH_CACHE_NEW_PAGES_PER_CLIENT", 60)
SEARCH_RADIUS_CHOICES = [5, 10, 25, 50, 100]
SEARCH_DEFAULT_RADIUS = 25

# A street address is searched from its ZIP or town, offline. Turned on, the US Census Bureau's
# geocoder (online, free, no key) places it exactly; it is asked with this timeout in seconds,
# answers are cached, and a failure falls back to the offline answer (programs/census_geocoder.py).
PLACES_CENSUS_GEOCODER = env_bool("PLACES_CENSUS_GEOCODER", False)
PLACES_CENSUS_GEOCODER_URL = os.environ.get(
    "PLACES_CENSUS_GEOCODER_URL",
    "https://geocoding.geo.census.gov/geocoder/locations/onelineaddress",
)
PLACES_CENSUS_GEOCODER_TIMEOUT = env_float("PLACES_CENSUS_GEOCODER_TIMEOUT", 2.0)

# A listing not verified for this many days is flagged to staff and to searchers.
STALE_AFTER_DAYS = 365

# --- Email (provider sign-in links, reminders): printed to the console in development, sent by
# SMTP when EMAIL_HOST is set. Links in emails sent without a request (reminders) start with
# EMAIL_LINK_BASE_URL, e.g. https://finder.example.org.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Treatment Finder <noreply@localhost>")
EMAIL_LINK_BASE_URL = os.environ.get("EMAIL_LINK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# "Report a problem": at most this many reports from one IP address per window (seconds).
REPORT_RATE_LIMIT = (env_int("REPORT_RATE_LIMIT", 5), env_int("REPORT_RATE_WINDOW", 3600))
# Django admin's path, e.g. "staff-7f3a/" (a less guessable path means fewer bots at the login).
ADMIN_URL_PATH = os.environ.get("ADMIN_URL_PATH", "admin/").strip("/") + "/"

# Map tiles: the only third-party host a public page talks to (see CONTENT_SECURITY_POLICY).
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors")

# --- HTTPS and security headers. Each defaults to on when DEBUG is off (the README lists them).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check often speaks plain HTTP to the app: answer it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("SECURE_PROXY_SSL", False):
    # Only behind a proxy that sets X-Forwarded-Proto itself (else a client could claim HTTPS).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# A searcher's next site learns nothing of what they searched here (paths carry the search).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Sessions and cookies exist for staff only: public pages set none (tested).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 4 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A form's CSRF cookie lasts the browser session, so it cannot link one visit to the next.
CSRF_COOKIE_AGE = None

# A staff login with no (or a refused) `next` lands on the admin, not on Django's default
# /accounts/profile/, which does not exist here.
LOGIN_URL = f"/{ADMIN_URL_PATH}login/"
LOGIN_REDIRECT_URL = f"/{ADMIN_URL_PATH}"
# A form sent without its CSRF token gets the site's own page (988 included), not Django's bare one.
CSRF_FAILURE_VIEW = "finder.errors.csrf_failure"

# --- Staff login: lock a username out from one address after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "finder.views.staff_locked_out"


def _source(url: str) -> str:
    """A CSP source for the host of a URL: "https://{s}.tile.example.org/…" → "https://*.tile…"."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{re.sub(r'[{][^}]*[}]', '*', parts.netloc)}"


# --- Content-Security-Policy (django-csp 4): everything from our own origin but the map tiles;
# no inline script or style anywhere, so templates pass data with json_script / data- attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", _source(MAP_TILES_URL)],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Powerful browser features: only geolocation ("use my location"), only for our own pages.
PERMISSIONS_POLICY = {
    "geolocation": "(self)",
    **{
        feature: "()"
        for feature in [
            "camera",
            "microphone",
            "payment",
            "usb",
            "serial",
            "bluetooth",
            "display-capture",
            "accelerometer",
            "gyroscope",
            "magnetometer",
            "browsing-topics",
        ]
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request line or URL carries what someone searched for (a ZIP code, "medicaid"…): logs
    # keep the path only, so no log ties a searched place to a visitor's address.
    "filters": {"no_query_strings": {"()": "finder.log_filters.DropQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_query_strings"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django.request": {"filters": ["no_query_strings"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The partner API (/api/v1/, documented at /api/docs/) and the HSDS API (/hsds/): public, read-only.
API_URLS_REGEX = r"^/(api|hsds)/"
# Anonymous requests per IP, as DRF writes a rate ("120/min", "5000/day"); counted in the default
# cache, so every app server shares the count when that cache is Redis.
API_ANON_RATE = env_rate("API_ANON_RATE", "120/min")
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
# How long a client or proxy may reuse a response before asking again (with its ETag).
API_CACHE_SECONDS = 60

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Public data: no sessions, so no CSRF and no per-user state behind a response.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    # How many proxies (load balancers) in front of the app append to X-Forwarded-For; 0 means
    # the client is REMOTE_ADDR, so nobody escapes the limit by sending the header themselves.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
    "DEFAULT_THROTTLE_CLASSES": ["finder.api.throttling.AnonRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "finder.api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "EXCEPTION_HANDLER": "finder.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # ?format= would be one more parameter to document and fuzz; JSON is the only format.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Treatment Finder API",
    "DESCRIPTION": (
        "Read-only JSON API of the treatment-program finder: the same search as the web page. "
        "See /api/docs/ and the README's API section."
    ),  # replaced with the full text by finder.api.schema.describe_api
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # HSDS has its own, official OpenAPI document; this schema describes /api/v1/ only.
    "PREPROCESSING_HOOKS": ["finder.api.schema.only_api_v1"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "finder.api.schema.describe_api",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CORS_URLS_REGEX = API_URLS_REGEX
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]
