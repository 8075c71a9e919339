"""Team Mirror settings, read from the environment.

Development needs no variable at all. Production (``DJANGO_DEBUG=false``) refuses to
start without ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.cache import caches_for

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Local state of an embedded install: the SQLite file and matplotlib's font cache.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str) -> list[str]:
    return [
        item.strip() for item in os.environ.get(name, "").split(",") if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))') "
            "before starting with DJANGO_DEBUG=false."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

# Answers wait encrypted until their round's results are released (see
# docs/anonymity.md). The key comes from ANSWER_SEALING_KEY, or is derived from
# SECRET_KEY; old keys in the fallbacks still open answers sealed before a change.
ANSWER_SEALING_KEY = os.environ.get("ANSWER_SEALING_KEY", "")
ANSWER_SEALING_KEY_FALLBACKS = env_list("ANSWER_SEALING_KEY_FALLBACKS")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
# Production refuses a sealing key that whoever holds the secret key could rebuild
# (docs/operations.md, "The sealing key"); development derives one.
ANSWER_SEALING_KEY_MIN_LENGTH = 32
if not DEBUG:
    _sealing_problem = (
        "is not set"
        if not ANSWER_SEALING_KEY
        else f"is shorter than {ANSWER_SEALING_KEY_MIN_LENGTH} characters"
        if len(ANSWER_SEALING_KEY) < ANSWER_SEALING_KEY_MIN_LENGTH
        else "is the same as DJANGO_SECRET_KEY"
        if ANSWER_SEALING_KEY == SECRET_KEY
        else ""
    )
    if _sealing_problem:
        raise ImproperlyConfigured(
            f"ANSWER_SEALING_KEY {_sealing_problem}. Set it to a long random value "
            "of its own, kept in your secret store apart from the database and its "
            "backups (python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
            "before starting with DJANGO_DEBUG=false. Answers sealed with the key "
            "used until now need it in ANSWER_SEALING_KEY_FALLBACKS (or the old "
            "secret key in DJANGO_SECRET_KEY_FALLBACKS): see docs/operations.md, "
            '"The sealing key".'
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Set it to the comma-separated host "
            "names this site is served on, e.g. mirror.example.com."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The site's own page, in the reader's language, saying an unsent answer is kept.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
# The public address, for links that are emailed or shown to copy. Without SITE_URL it
# follows HOST_PORT (the address `make run` serves on), so the links match the port.
SITE_URL = (
    os.environ.get("SITE_URL")
    or "http://" + os.environ.get("HOST_PORT", "127.0.0.1:8000")
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "django_htmx",
    # django-ninja: its templates and the Swagger UI files it ships, so /api/docs
    # is served from this site (no CDN, within the CSP).
    "ninja",
    "teams",
    "assessments",
    "stakeholders",
    "reports",
    "coach",
    "retro",
    "api",
    "moving",
    "demo",
    # The site's own deploy checks (config/checks.py) and commands: ``migrate``
    # one at a time, refusing rollbacks that would drop answers
    # (config/migrating.py).
    "config.apps.SiteConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.BodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # The language: the person's, the browser's, the team's, English (teams.language).
    "teams.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
# Text inputs and textareas take the direction of what is typed (dir="auto").
FORM_RENDERER = "config.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # |bidi and |bidi_text for user-written text, in every template.
            "builtins": ["teams.templatetags.bidi"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: a SQLite file in the project unless DATABASE_URL says otherwise.
# SQLite is tuned for several concurrent writers: WAL, IMMEDIATE transactions so that
# two writers queue on the lock instead of failing, and a generous busy timeout.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # secure_delete: a deleted row (a sealed answer once released) is
            # zeroed, not left readable in a free page of the file.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA secure_delete=ON;"
            ),
        }
    )
    # A file, not memory, so that tests of concurrent submissions see real locking;
    # one per process, so that several test runs can share a machine.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server, so rate limits and
# cached charts hold across servers); otherwise a cache table in the database (made
# by a migration), which every worker of one machine shares, in development too, so
# that `make run` behaves like the single-machine recipe.
# While Redis cannot be reached, the database cache table stands in for it
# (config.cache.RedisWithFallback): the site keeps serving.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = caches_for(REDIS_URL)

# Outgoing mail through Django 6.1 MAILERS: SMTP in production (SMTP_HOST, default
# localhost), the console in development unless SMTP_HOST is set.
SMTP_HOST = os.environ.get("SMTP_HOST", "")
if SMTP_HOST or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST or "localhost",
                "port": int(os.environ.get("SMTP_PORT", "587")),
                "username": os.environ.get("SMTP_USERNAME", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Team Mirror <mirror@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (stakeholder invitation emails). Production runs a worker:
# ``manage.py db_worker``. Development runs tasks immediately unless told otherwise.
TASKS_BACKEND = os.environ.get(
    "TASKS_BACKEND",
    "django.tasks.backends.immediate.ImmediateBackend"
    if DEBUG
    else "django_tasks_db.DatabaseBackend",
)
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
# allauth's backend (username or email); it also tells the navigation whether the
# user is a coach.
AUTHENTICATION_BACKENDS = ["teams.backends.TeamMirrorBackend"]

# Sign-up (django-allauth): who may sign up, with an email address confirmed before
# the first sign-in. SIGNUP_MODE: open, invitation (only with a team invitation
# link) or domains (addresses at SIGNUP_DOMAINS, or with an invitation).
SIGNUP_MODE = os.environ.get("SIGNUP_MODE", "open").strip().lower()
if SIGNUP_MODE not in ("open", "invitation", "domains"):
    raise ImproperlyConfigured(
        f"SIGNUP_MODE must be open, invitation or domains, not {SIGNUP_MODE!r}."
    )
SIGNUP_DOMAINS = env_list("SIGNUP_DOMAINS")
if SIGNUP_MODE == "domains" and not SIGNUP_DOMAINS:
    raise ImproperlyConfigured(
        "SIGNUP_MODE=domains needs SIGNUP_DOMAINS, e.g. example.com,example.org."
    )
ACCOUNT_ADAPTER = "teams.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "teams.forms.LoginForm", "signup": "teams.forms.SignupForm"}
# Sign-up never says that an address or a username has an account (the same page,
# an email to the address given); allauth's default, stated.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Team Mirror] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# New usernames may not look like host names or addresses; allauth's emails and
# messages quote every username as data (teams/usernames.py).
ACCOUNT_USERNAME_VALIDATORS = "teams.usernames.username_validators"
ACCOUNT_USER_DISPLAY = "teams.usernames.user_display"
# Sign-in limits, per client address and per account (the "key" is the name typed):
# past them the sign-in page answers 429. Counted in the default cache, which every
# worker shares (Redis, or the database cache table without Redis).
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("RATELIMIT_LOGIN", "30/60s/ip"),
    # Per client address only: per account, teams.signin_limits slows guessing
    # down without locking the account's owner out.
    "login_failed": os.environ.get("RATELIMIT_LOGIN_FAILED", "20/600s/ip"),
    "signup": os.environ.get("RATELIMIT_SIGNUP", "10/600s/ip"),
    "confirm_email": "1/180s/key",
}
# Failed sign-ins per account (teams.signin_limits): this many cost nothing; then
# an address that failed waits SIGNIN_DELAY_FIRST seconds, doubling with each
# further failure of the account, at most SIGNIN_DELAY_MAX seconds.
SIGNIN_FREE_FAILURES = int(os.environ.get("SIGNIN_FREE_FAILURES", "5"))
SIGNIN_DELAY_FIRST = int(os.environ.get("SIGNIN_DELAY_FIRST", "30"))
SIGNIN_DELAY_MAX = int(os.environ.get("SIGNIN_DELAY_MAX", "900"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "teams:index"
LOGOUT_REDIRECT_URL = "login"

# Shipped languages (docs/languages.md): English is the original; the catalogs for
# the others are in locale/<code>/LC_MESSAGES/django.po (compiled by `make run` and
# `make test`), the framework's texts in assessments/framework/*.<code>.json.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mirror_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where `manage.py collectstatic` writes (whitenoise serves it from there).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. Content Security Policy through Django's own middleware: no
# inline script or style, nothing from another origin.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions, their row read by a statement written once (config/sessions.py).
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(
        os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Invitation links for team members expire after this many days.
TEAM_INVITATION_DAYS = int(os.environ.get("TEAM_INVITATION_DAYS", "14"))

# The largest request body accepted (bytes): a 413 page past it. The app takes no
# uploads and refuses multipart bodies (415); see config/middleware.py.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_HANDLERS: list[str] = []

# The largest team archive ``import_team`` and the upload form read (bytes):
# "Moving a team to another server" in docs/operations.md.
TEAM_ARCHIVE_MAX_BYTES = int(
    os.environ.get("TEAM_ARCHIVE_MAX_BYTES", str(20 * 1024 * 1024))
)
# The only paths that take a multipart upload (config.middleware), each with the
# largest body it reads: the archive and the form around it.
UPLOAD_PATHS = {"/teams/import/": TEAM_ARCHIVE_MAX_BYTES + 64 * 1024}

# Caps that make adding answers or people costly and visible (docs/security.md).
# Usable team invitation links a team can have at once.
TEAM_OPEN_INVITATIONS_MAX = int(os.environ.get("TEAM_OPEN_INVITATIONS_MAX", "50"))
# Stakeholder invitations a round can have in all, and addresses one person can
# invite (stakeholders and team members together) in 24 hours.
STAKEHOLDER_INVITATIONS_PER_ROUND = int(
    os.environ.get("STAKEHOLDER_INVITATIONS_PER_ROUND", "300")
)
INVITATIONS_PER_PERSON_PER_DAY = int(
    os.environ.get("INVITATIONS_PER_PERSON_PER_DAY", "200")
)
# Completed answers through a round's shared link from one client address. An
# office of colleagues behind one address must get through: keep it well above
# the largest such group.
LINK_ANSWERS_PER_CLIENT_PER_ROUND = int(
    os.environ.get("LINK_ANSWERS_PER_CLIENT_PER_ROUND", "100")
)

# Anonymous endpoints (stakeholder links), per client address per window: page
# views, and submitted answers counted apart so that a busy office behind one address
# (50 colleagues answering one link in ten minutes) gets every answer through.
RATELIMIT_ANONYMOUS = os.environ.get("RATELIMIT_ANONYMOUS", "600/600")
RATELIMIT_SUBMISSIONS = os.environ.get("RATELIMIT_SUBMISSIONS", "100/600")
# Requests per client address (or signed-in person) per seconds.
RATELIMIT_PASSWORD_RESET = os.environ.get("RATELIMIT_PASSWORD_RESET", "5/3600")
RATELIMIT_JOIN = os.environ.get("RATELIMIT_JOIN", "30/3600")
RATELIMIT_TEAM_CREATE = os.environ.get("RATELIMIT_TEAM_CREATE", "10/86400")
RATELIMIT_INVITE = os.environ.get("RATELIMIT_INVITE", "100/86400")
# The read-only API (docs/api.md): requests per client address per window, counted
# before the token is checked, and the active tokens a team may have.
RATELIMIT_API = os.environ.get("RATELIMIT_API", "300/300")
API_TOKENS_PER_TEAM = int(os.environ.get("API_TOKENS_PER_TEAM", "10"))
# Proxies whose X-Forwarded-For is believed: comma-separated addresses or networks
# (CIDR). Empty means the client address is REMOTE_ADDR. Rate limiting only.
if os.environ.get("TRUSTED_PROXY_COUNT"):
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is gone: list the proxies' addresses or networks in "
        "TRUSTED_PROXIES instead, e.g. TRUSTED_PROXIES=10.0.0.0/8."
    )
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES holds addresses or networks such as '10.0.0.0/8', "
            f"not {_proxy!r}."
        ) from None

# matplotlib keeps its font cache here so each process does not rebuild it.
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log request URLs at INFO: stakeholder links carry a token on first
        # use. Django logs 4xx/5xx at WARNING with the path; tokens are swapped for a
        # session before any such response can happen (see assessments.stakeholder).
        "django.server": {"level": "WARNING"},
        # The PDF's layout engine and its font library report every font they
        # subset at INFO (about 150 lines per PDF): only problems belong in the log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
