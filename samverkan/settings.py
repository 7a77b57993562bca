"""Settings, read from the environment (see .env.example).

Without DATABASE_URL the database is SQLite in the project folder, so the demo needs nothing
installed; DATABASE_URL=postgres://... selects PostgreSQL.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or None
if SECRET_KEY is None:
    # No key configured: use a random one kept beside the database, so every installation
    # (demo, tests, CI) gets its own secret and none is ever committed.
    _key_file = Path(env.str("SECRET_KEY_FILE", default=str(BASE_DIR / ".secret_key")))
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "samverkan.core",
    "samverkan.organizations",
    "samverkan.audit",
    "samverkan.agreements",
    "samverkan.plans",
    "samverkan.situation",
    "samverkan.evaluation",
    "samverkan.followup",
    "samverkan.meetings",
    "samverkan.jobs",
    "samverkan.demo",
    "samverkan.accounts",
    "samverkan.operations",
    "samverkan.surveys",
    "samverkan.participation",
    "samverkan.sspf",
    "samverkan.faults",
    "samverkan.cameras",
]
# Identity hardening (samverkan.accounts, docs/security.md): lockout, second factor.
INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp",
                   "django_otp.plugins.otp_static"]

MIDDLEWARE = [
    "samverkan.operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content Security Policy (django-csp): see CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samverkan.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.core.context_processors.samverkan",
            ],
        },
    },
]

WSGI_APPLICATION = "samverkan.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'samverkan.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and a management command use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Tests use a file like the demo does, not the in-memory shared cache: there a reader meets
    # "database table is locked" at once while a job thread writes, where WAL lets it read.
    DATABASES["default"].setdefault("TEST", {"NAME": str(BASE_DIR / ".test-samverkan.sqlite3")})
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# situation.Incident has a covering index (INCLUDE) on PostgreSQL; SQLite (demo, tests) makes
# it a plain index, which is what this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# API throttling counts requests in its own cache (the shared one when CACHE_URL is set).
CACHES["throttle"] = env.cache("CACHE_URL", default="locmemcache://throttle")
# The weekly situation picture is cached only in a cache all server processes share (CACHE_URL);
# true/false overrides that (e.g. true for a single process with the memory cache).
SITUATION_PICTURE_CACHE = env.bool("SITUATION_PICTURE_CACHE", default=None)

# Background jobs (samverkan.jobs, docs/development.md): Django's task framework through the
# django-tasks backport. "db" (default) queues in the database, run by `samverkan db_worker`;
# "rq" queues in Redis (RQ_REDIS_URL), run by `samverkan rqworker --with-scheduler`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env.str("RQ_REDIS_URL",
                                            default="redis://127.0.0.1:6379/0")}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses any login attempt of a locked-out account or address (django-axes).
    "samverkan.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (below); acts only on the provider's callback and only when enabled.
    "samverkan.accounts.oidc.OidcBackend",
]
LOGIN_URL = "login"

# Single sign-on with OpenID Connect (samverkan/accounts/oidc.py, docs/deployment.md), off by
# default. The provider is found from OIDC_ISSUER's discovery document (explicit endpoints
# override it). Who the person is: the claim OIDC_USER_CLAIM matched against the user field
# OIDC_USER_FIELD. Unknown people: "refuse" (default), "mapped" (created when OIDC_GROUP_MAP
# gives them a membership) or "create" (created, without membership unless mapped).
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="OpenID Connect")
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_URI", default="")
OIDC_OP_END_SESSION_ENDPOINT = env.str("OIDC_END_SESSION_ENDPOINT", default="")
OIDC_USER_CLAIM = env.str("OIDC_USER_CLAIM", default="email")
OIDC_USER_FIELD = env.str("OIDC_USER_FIELD",
                          default="email" if OIDC_USER_CLAIM == "email" else "username")
OIDC_UNKNOWN_USERS = env.str("OIDC_UNKNOWN_USERS", default="refuse")
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# "claim value=organisation id:role; ..." e.g. "3f1c...=12:coordinator; Samverkan.Läsare=12:reader"
OIDC_GROUP_MAP = env.str("OIDC_GROUP_MAP", default="")
# The provider's word for a second factor: amr values (e.g. mfa), acr values (in the claim
# OIDC_MFA_ACR_CLAIM), or OIDC_MFA_ASSUMED when it enforces one on every login to Samverkan
# (e.g. an Entra ID Conditional Access policy). Otherwise the local TOTP step follows.
OIDC_MFA_AMR = env.list("OIDC_MFA_AMR", default=[])
OIDC_MFA_ACR = env.list("OIDC_MFA_ACR", default=[])
OIDC_MFA_ACR_CLAIM = env.str("OIDC_MFA_ACR_CLAIM", default="acr")
OIDC_MFA_ASSUMED = env.bool("OIDC_MFA_ASSUMED", default=False)
OIDC_ALLOW_STAFF = env.bool("OIDC_ALLOW_STAFF", default=False)
OIDC_LOGOUT_AT_PROVIDER = env.bool("OIDC_LOGOUT_AT_PROVIDER", default=True)
OIDC_LEEWAY_SECONDS = env.int("OIDC_LEEWAY_SECONDS", default=60)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
OIDC_VERIFY_SSL = env.bool("OIDC_VERIFY_SSL", default=True)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the id_token_hint of the logout at the provider
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_REDIRECT_FIELD_NAME = "next"
# The session is checked again at the provider (a silent login, prompt=none) this many seconds
# after each login or check: a person deactivated or removed there loses the Samverkan session,
# and changed groups change the memberships (samverkan.accounts.oidc.SessionRefresh).
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = env.int("OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS", default=900)
if OIDC_ENABLED:
    MIDDLEWARE.insert(MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
                      "samverkan.accounts.oidc.SessionRefresh")

# Lockout after repeated failed logins (django-axes), per account and per address, on the login
# page, the admin and the API token endpoint. An administrator lifts it in the admin ("Access
# attempts") or with `samverkan axes_reset_username NAME`; it also ends after the cool-off time.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samverkan.accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "samverkan.accounts.lockout.username_of"
AXES_VERBOSE = False
# Refused single sign-on callbacks are not failed guesses (samverkan/accounts/oidc.py).
AXES_WHITELIST_CALLABLE = "samverkan.accounts.oidc.axes_whitelisted"
# Behind the TLS proxy the client address is the first one in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1) if env.bool(
    "BEHIND_TLS_PROXY", default=False) else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env.bool(
    "BEHIND_TLS_PROXY", default=False) else ["REMOTE_ADDR"]

# Second factor (django-otp, TOTP apps and recovery codes). Who must have one: any of
# "superusers", "administrators" (of a municipality), "coordinators" (and administrators),
# "restricted" (members of an organisation named on a restricted record), "all"; empty: nobody
# is forced (everyone may still turn it on).
TWO_FACTOR_REQUIRED_FOR = env.list("TWO_FACTOR_REQUIRED_FOR",
                                   default=["superusers", "administrators", "restricted"])
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Samverkan")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Swedish is the default whatever the browser says; English is chosen explicitly.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="samverkan@localhost")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# Absolute base of links in e-mails (reminders, the weekly picture), e.g. https://samverkan.example.se
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Map tiles are a setting: no tile server is contacted unless configured.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION", default="&copy; OpenStreetMap contributors"
)

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# Behind the TLS proxy: plain HTTP is redirected to HTTPS and browsers are told to use HTTPS
# only (HSTS, one year; Django sends it on HTTPS responses only).
_BEHIND_TLS = env.bool("BEHIND_TLS_PROXY", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_BEHIND_TLS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _BEHIND_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(
    "BEHIND_TLS_PROXY", default=False
) else None
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True


def _tile_source(url: str) -> str | None:
    """The CSP source of the map tile server: scheme and host, `{s}` subdomains as `*`."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "tilesub"))
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("tilesub", "*")
    return f"{parts.scheme}://{host}"


# Content Security Policy (django-csp, docs/security.md): nothing inline, no eval. Scripts and
# styles come only from our own static files; JSON data blocks (<script type="application/json">)
# are not executed. Images also from the map tile server and data: URIs (Leaflet's icons).
# CSP_EXTRA_IMG_SRC / CSP_EXTRA_CONNECT_SRC add sources (e.g. a second tile server).
_IMG_SRC = ["'self'", "data:", *filter(None, [_tile_source(MAP_TILE_URL)]),
            *env.list("CSP_EXTRA_IMG_SRC", default=[])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _IMG_SRC,
        "font-src": ["'self'"],
        "connect-src": ["'self'", *env.list("CSP_EXTRA_CONNECT_SRC", default=[])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *env.list("CSP_EXTRA_FORM_ACTION", default=[])],
        "frame-ancestors": ["'none'"],
    },
}

# Optimistic locking in the API (docs/security.md): a PUT, PATCH or DELETE without If-Match
# goes through by default (older clients, scripts); true refuses it with 428.
API_REQUIRE_IF_MATCH = env.bool("API_REQUIRE_IF_MATCH", default=False)

# A filter left empty reads "All", not Django's "---------" (core.filters does the same for
# the related-record filters).
FILTERS_EMPTY_CHOICE_LABEL = _("All")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a refused token answers 401 with WWW-Authenticate: Bearer.
        "samverkan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["samverkan.core.filters.ScopedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "samverkan.core.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "samverkan.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "samverkan.core.api.exception_handler",
    # Throttling per user (per address when anonymous); the token endpoint has its own, lower
    # rate on top of the lockout. Counted in the "throttle" cache (CACHE_URL when set).
    "DEFAULT_THROTTLE_CLASSES": [
        "samverkan.accounts.throttling.AnonRateThrottle",
        "samverkan.accounts.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        "token": env.str("API_THROTTLE_TOKEN", default="20/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samverkan API",
    "DESCRIPTION": "Cooperation agreements, action plans, situation picture and follow-up.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per choices class: several models have fields named kind/role/status.
    "ENUM_NAME_OVERRIDES": {
        "SspfAgencyEnum": "samverkan.sspf.choices.Agency",
        "ActionEnum": "samverkan.audit.choices.Action",
        "ActionItemStatusEnum": "samverkan.meetings.choices.ActionItemStatus",
        "ActivityKindEnum": "samverkan.plans.choices.ActivityKind",
        "ActivityStatusEnum": "samverkan.plans.choices.ActivityStatus",
        "AgendaSourceEnum": "samverkan.meetings.choices.AgendaSource",
        "AgreementStatusEnum": "samverkan.agreements.choices.AgreementStatus",
        "AreaKindEnum": "samverkan.situation.choices.AreaKind",
        "BraStepEnum": "samverkan.meetings.choices.BraStep",
        "ComplianceKeyEnum": "samverkan.meetings.choices.ComplianceKey",
        "ComplianceStatusEnum": "samverkan.meetings.choices.ComplianceStatus",
        "ConfidentialityEnum": "samverkan.core.choices.Confidentiality",
        "ContributionPartyEnum": "samverkan.plans.choices.ContributionParty",
        "DecisionEffectEnum": "samverkan.meetings.choices.DecisionEffect",
        "DeviationKindEnum": "samverkan.followup.choices.DeviationKind",
        "DirectionEnum": "samverkan.plans.choices.Direction",
        "FollowUpKindEnum": "samverkan.agreements.choices.FollowUpKind",
        "ForumKindEnum": "samverkan.agreements.choices.ForumKind",
        "ForumMemberRoleEnum": "samverkan.agreements.choices.ForumMemberRole",
        "GoalKindEnum": "samverkan.plans.choices.GoalKind",
        "IncidentSourceEnum": "samverkan.situation.choices.IncidentSource",
        "IncidentStatusEnum": "samverkan.situation.choices.IncidentStatus",
        "MeasureStatusEnum": "samverkan.situation.choices.MeasureStatus",
        "MeetingKindEnum": "samverkan.meetings.choices.MeetingKind",
        "MeetingStatusEnum": "samverkan.meetings.choices.MeetingStatus",
        "OrganizationKindEnum": "samverkan.organizations.choices.OrganizationKind",
        "PartyRoleEnum": "samverkan.agreements.choices.PartyRole",
        "PoliceAreaLevelEnum": "samverkan.organizations.choices.PoliceAreaLevel",
        "PrecisionEnum": "samverkan.situation.choices.Precision",
        "ReminderKindEnum": "samverkan.followup.choices.ReminderKind",
        "ReportStatusEnum": "samverkan.followup.choices.ReportStatus",
        "RoleEnum": "samverkan.core.choices.Role",
        "RoundKindEnum": "samverkan.followup.choices.RoundKind",
        "RoundStatusEnum": "samverkan.followup.choices.RoundStatus",
        "StatisticSourceEnum": "samverkan.situation.choices.StatisticSource",
        "StrategyEnum": "samverkan.agreements.choices.Strategy",
        "TrackEnum": "samverkan.agreements.choices.Track",
        "FaultStatusEnum": "samverkan.faults.choices.FaultStatus",
        "DeadlineUnitEnum": "samverkan.faults.choices.DeadlineUnit",
        "FaultChannelEnum": "samverkan.faults.choices.FaultChannel",
        "HoldReasonEnum": "samverkan.cameras.choices.HoldReason",
        "PeriodStatusEnum": "samverkan.cameras.choices.PeriodStatus",
        "AccessKindEnum": "samverkan.cameras.choices.AccessKind",
        "StillRequestStatusEnum": "samverkan.cameras.choices.StillRequestStatus",
    },
    # Every operation's error answers (400, 401, 403, 404, 409, 429) with their bodies.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "samverkan.core.schema.document_error_responses"],
}

# Logs go to standard output (gunicorn/systemd/docker collect them). LOG_FORMAT=json gives one
# JSON object per line; `samverkan.request` logs one line per request (user id, status,
# duration) at INFO, `samverkan.security` logins, lockouts and refusals (docs/deployment.md).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "samverkan.operations.logs.JsonFormatter"},
        "text": {"()": "samverkan.operations.logs.TextFormatter",
                 "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "samverkan.request": {"level": env.str("REQUEST_LOG_LEVEL",
                                               default="WARNING" if DEBUG else "INFO")},
        "samverkan.security": {"level": env.str("SECURITY_LOG_LEVEL", default="INFO")},
        # Django's own line per refused request would repeat samverkan.request's.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "ERROR"},
    },
}
# Uploads (samverkan/core/uploads.py): the largest file accepted, and the bounds for opening
# XLSX files (ZIP containers) so that a zip bomb is refused before it is unpacked.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=50) * 1024 * 1024
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED_BYTES = env.int("ZIP_MAX_UNPACKED_MB", default=300) * 1024 * 1024
ZIP_MAX_RATIO = 200

# Load balancers may check /health/ over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Individual-level collaboration (samverkan.sspf, docs/sspf.md): names and personal identity
# numbers are encrypted with keys kept outside the database. SSPF_FIELD_KEYS is a list, newest
# first (older keys only decrypt: rotate with `samverkan sspf_rotate_keys`); SSPF_SEARCH_KEY
# keys the hash that finds a person by personal identity number. Without them, keys are made
# once and kept in files beside the database (like SECRET_KEY).
def _key_from_file(name: str) -> str:
    import os
    import secrets
    import time

    path = Path(env.str(f"{name}_FILE", default=str(BASE_DIR / f".{name.lower()}")))
    try:  # created once, atomically: processes starting together must share one key
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            value = path.read_text().strip()
            if value:
                return value
            time.sleep(0.1)
        raise RuntimeError(f"{path} is empty") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


SSPF_FIELD_KEYS = env.list("SSPF_FIELD_KEYS", default=[]) or [_key_from_file("SSPF_FIELD_KEY")]
SSPF_SEARCH_KEY = env.str("SSPF_SEARCH_KEY", default="") or _key_from_file("SSPF_SEARCH_KEY")
