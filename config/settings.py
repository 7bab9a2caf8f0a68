"""Settings for the back-office, every value read from the environment.

The default is SQLite in the project folder so nothing else has to run; set
``DATABASE_URL=postgres://…`` for PostgreSQL (production and CI).
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from .log import logging_config
from .secrets import secret_key
from .storage import storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# Outside DEBUG a missing, development or weak key refuses to start (config/secrets.py). Rotation: the
# new key in SECRET_KEY, the old ones in SECRET_KEY_FALLBACKS until their sessions and links expire.
SECRET_KEY = secret_key(env("SECRET_KEY", default=""), debug=DEBUG)
SECRET_KEY_FALLBACKS = [secret_key(key, debug=DEBUG) for key in env.list("SECRET_KEY_FALLBACKS", default=[])]
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
# Behind one TLS proxy (nginx, a load balancer): it says the scheme (X-Forwarded-Proto) and appends the client's
# address to X-Forwarded-For, whose last entry is then the client (the entries before it are the client's say).
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", False)

INSTALLED_APPS = [
    "config.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "backoffice",
    "outbox",
    "customers",
    "contracts",
    "billing",
    "equipment",
    "sla",
    "monitoring",
    "provisions",
    "reports",
    "receivables",
    "django_tasks_db",
    "jobs",
    "health_check",
    "ops",
    "api",
    "demo",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First: a request's latency includes every middleware's work (ops.metrics).
    "ops.metrics.RequestMetricsMiddleware",
    "config.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backoffice.sessions.SessionRefreshMiddleware",
    "config.middleware.SiteLanguageFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the middleware that set the security headers and the language (none reads the body), so that a
    # refused request's 413 carries them too.
    "config.middleware.RequestSizeLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, whose flush empties tables with the triggers of issued rows off (backoffice.sqlite).
    DATABASES["default"]["ENGINE"] = "backoffice.sqlite"
    # Transactions take the write lock when they begin, and a second writer waits up to 20 s for it: a
    # deferred transaction that reads first and writes later fails at once ("database is locked") instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# A web request's statements stop after this long on PostgreSQL (config/web.py); commands are not limited.
WEB_STATEMENT_TIMEOUT_MS = env.int("WEB_STATEMENT_TIMEOUT_MS", 30_000)
# DATABASE_POOLER=transaction: the connections go through a pooler in transaction mode (PgBouncer), which hands
# each transaction whatever server connection is free. Nothing may outlive a transaction there: no server-side
# cursor (a queryset's iterator reads its rows on a plain cursor), no prepared statement (Django binds on the
# client; psycopg is told never to prepare), no setting made for the session (the web's statement limit is then
# its database role's own: docs/operations.md#behind-a-connection-pooler).
DATABASE_POOLER = env("DATABASE_POOLER", default="")
if DATABASE_POOLER not in ("", "transaction"):
    raise ImproperlyConfigured(f"DATABASE_POOLER is empty or 'transaction', not {DATABASE_POOLER!r}")
if DATABASE_POOLER:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The REST API (api/, docs/api.md): bearer tokens of staff users, acting with their permissions; cursor pages;
# refusals as RFC 9457 problem details; a token's own rate limit, counted in the cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenPermissions"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies; an upload names MultiPartParser itself (a form cannot carry the actions' nested objects).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ISP Business Line Back Office API",
    "DESCRIPTION": "Customers, contracts, equipment, invoices, payments and outages of the back-office (docs/api.md).",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": ["rest_framework.authentication.SessionAuthentication"],
    "SERVE_PERMISSIONS": ["api.docs.SignedInStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problems",
        "api.schema.texts_without_nul",
    ],
    # Choice sets shared by several fields, or beside another "status", named once.
    "ENUM_NAME_OVERRIDES": {
        "LifecycleStatusEnum": "contracts.choices.Status",
        "UnitStateEnum": "equipment.choices.UnitState",
        "CreditStatusEnum": "sla.models.CreditStatus",
        "PaymentStateEnum": "receivables.choices.PaymentState",
        "InvoiceStateEnum": "receivables.choices.InvoiceState",  # an invoice's payment_state
        "JobStateEnum": "jobs.models.JobState",
    },
}
#: How long a new token lives unless its creator chooses otherwise.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", 90)
#: Webhooks go to https URLs; plain http to this machine (localhost) only in development (and the tests).
WEBHOOKS_ALLOW_LOCAL_HTTP = env.bool("WEBHOOKS_ALLOW_LOCAL_HTTP", DEBUG)
# The cache counts the API's rate limits: Redis when REDIS_URL is set (shared by every node), else the process's memory.
REDIS_URL = env("REDIS_URL", default="")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Background work (Django's Tasks API): the database backend by default (``manage.py run_worker`` runs
# django-tasks-db's worker; nothing else to install, SQLite included); ``TASKS_BACKEND=rq`` sends the same
# tasks to RQ on Redis (``REDIS_URL``) for workers on several machines. A worker beats for its job every
# sixth of JOBS_STALLED_AFTER_SECONDS; a job silent that long, with no task in the queue, lost its worker and
# is queued again by a worker (they look every third of it).
TASKS_BACKEND = env("TASKS_BACKEND", default="db")
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
elif TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND is 'db' or 'rq', not {TASKS_BACKEND!r}")
JOBS_STALLED_AFTER_SECONDS = env.int("JOBS_STALLED_AFTER_SECONDS", 30)
#: Invoices rendered per task: small enough that a killed worker loses little, large enough to be cheap.
DOCUMENT_BATCH_SIZE = env.int("DOCUMENT_BATCH_SIZE", 50)
#: Seconds a task renders before it queues the rest of its batch, so that work queued meanwhile waits no longer.
DOCUMENT_SLICE_SECONDS = env.float("DOCUMENT_SLICE_SECONDS", 5.0)

# Health checks at /health/ and Prometheus metrics at /metrics (ops/, docs/operations.md#health-and-metrics): for
# signed-in staff, a request bearing HEALTH_TOKEN (at least 32 characters), or a client within
# HEALTH_ALLOWED_NETWORKS (this machine by default). The task queue is unhealthy once its oldest task has waited
# HEALTH_QUEUE_MAX_AGE_SECONDS, the outbox once its oldest message to send was queued HEALTH_OUTBOX_MAX_AGE_SECONDS ago.
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
if HEALTH_TOKEN and len(HEALTH_TOKEN) < 32:
    raise ImproperlyConfigured("HEALTH_TOKEN is at least 32 characters: secrets.token_urlsafe(32) makes one")
HEALTH_ALLOWED_NETWORKS = env.list("HEALTH_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
for _entry in HEALTH_ALLOWED_NETWORKS:
    try:
        ip_network(_entry, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"HEALTH_ALLOWED_NETWORKS: {_entry!r} is not an address or a network") from None
# A check's (and a scrape's) queries stop after HEALTH_STATEMENT_TIMEOUT_MS, within their own transaction.
HEALTH_STATEMENT_TIMEOUT_MS = env.int("HEALTH_STATEMENT_TIMEOUT_MS", 2_000)
HEALTH_QUEUE_MAX_AGE_SECONDS = env.int("HEALTH_QUEUE_MAX_AGE_SECONDS", 600)
HEALTH_OUTBOX_MAX_AGE_SECONDS = env.int("HEALTH_OUTBOX_MAX_AGE_SECONDS", 900)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
# Amounts are integer yen read by people: 60,000 with its digits grouped on every page (an id in a URL or
# a form goes through ``unlocalize``/``admin_urlquote``; exports write numbers, not text).
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
# Files the workers write for staff to download (prepared reports, a job's file): a private S3-compatible
# bucket when S3_BUCKET is set (config/storage.py), else MEDIA_ROOT, which every web and worker machine must share.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
STORAGES = {
    "default": storage_from_env(env),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "admin:login"
# Where a sign-in lands when its ?next= is missing or points off the site: the admin's index.
LOGIN_REDIRECT_URL = "admin:index"
# Where the admin answers (``ADMIN_URL=office-7f3a/``): off the path every scanner tries first.
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out user or client is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes, backoffice/signin_locks.py): a user name is locked after AXES_FAILURE_LIMIT
# failures from anywhere, a client address only after AXES_ADDRESS_FAILURE_LIMIT (one person's typos lock their
# own name, not the colleagues behind the same address), for AXES_COOLOFF_MINUTES or until lifted (the admin's
# "Access attempts": delete the row; or manage.py axes_reset_username / axes_reset_ip). An address lock never
# stops an active superuser whose name is not locked. Every failed and successful sign-in is recorded.
# (A lock of name + address would add nothing: the name's count already holds its failures from every address;
# axes' check W006, which wants the address among these parameters, cannot see the handler's address lock.)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "backoffice.signin_locks.SigninLockHandler"
AXES_CLIENT_IP_CALLABLE = "backoffice.signin_locks.client_address"
AXES_LOCKOUT_CALLABLE = "backoffice.signin_locks.lockout_page"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Two-factor sign-in (django-otp, TOTP with recovery codes): required of superusers and of the roles
# that move money or approve (backoffice/signin.py), optional for the others. TWO_FACTOR_REQUIRED=false
# lets the demo logins in with the password alone (scripts/serve.sh); `check --deploy` warns of it.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="ISP Back Office")
# Admins may remove a colleague's device (a lost phone), never read its secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after this long without a request (default a working day), to within SESSION_REFRESH_SECONDS: a
# request extends its session once the last extension is that old (backoffice.sessions), so a session is written
# every few minutes a user rather than on every page. With Redis (REDIS_URL) sessions are read from it and written
# through to the database, which stays their record (they survive Redis restarting or evicting them; a sign-out
# ends the session on every node); without it, from the database (each gunicorn worker's cache is its own, where
# a session another worker's sign-out ended would live on).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", 8 * 3600)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", 300)
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if REDIS_URL else "db")

# Bounded input: a request body over MAX_REQUEST_BYTES is refused before it is read (413); uploads are
# written to disk past FILE_UPLOAD_MAX_MEMORY_SIZE, and an upload form refuses files over MAX_UPLOAD_BYTES.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Content-Security-Policy (Django's own): scripts and styles from this origin, or inline ones carrying
# the request's nonce; style attributes allowed (the admin sets them); no framing, no plugins. No framing
# even by the site itself, as X-Frame-Options says: the admin opens its related-object popups as windows. Stored
# invoice pages are served under a stricter, sandboxing policy of their own (billing/admin/invoices.py).
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Logs: JSON lines on stderr (request id, user, path; errors with their traceback). Server errors are
# also mailed to ADMINS ("ops@example.com,…") when it is set. gunicorn's own access log: --access-logfile -.
ADMINS = env.list("ADMINS", default=[])
SERVER_EMAIL = env("SERVER_EMAIL", default="backoffice@example.com")
LOGGING = logging_config(level=env("LOG_LEVEL", default="INFO"), mail_admins=bool(ADMINS))

# Change reasons name what changed, with labels: they outgrow simple-history's 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", not DEBUG)
# The language switch is a form; no script reads the language cookie, and no other site sends it.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", False)

# Qualified invoices (適格請求書): the issuer's name and registration number ("T" + 13 digits, checked
# by billing/checks.py), and when an invoice is due (billing.calc.PaymentTerms: months after the
# closing month, day of that month or None for its end; moved to the next business day).
INVOICE_ISSUER_NAME = env("INVOICE_ISSUER_NAME", default="デモ・ネットワークサービス株式会社")
INVOICE_REGISTRATION_NUMBER = env("INVOICE_REGISTRATION_NUMBER", default="T7123456789012")
INVOICE_PAYMENT_TERMS = {
    "months_after": env.int("INVOICE_PAYMENT_MONTHS_AFTER", 1),
    "day": env.int("INVOICE_PAYMENT_DAY", None),
}

# E-mail (Django 6.1's MAILERS): the console in development, SMTP (to EMAIL_HOST) otherwise, unless
# EMAIL_BACKEND names another backend.
EMAIL_BACKEND_PATH = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends." + ("console.EmailBackend" if DEBUG else "smtp.EmailBackend"),
)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": env("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", 25),
            "username": env("EMAIL_HOST_USER", default=""),
            "password": env("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", False),
        }
        if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="equipment@example.com")
# The sender of what billing mails (invoices, dunning notices): the billing address customers answer to,
# not the default sender (equipment's reminders). The outbox sends each topic from its registered sender.
BILLING_FROM_EMAIL = env("BILLING_FROM_EMAIL", default="billing@example.com")
# The sender of failure notices (the operations desk customers call back), not equipment's default.
FAILURE_NOTICE_FROM_EMAIL = env("FAILURE_NOTICE_FROM_EMAIL", default="noc@example.com")

# Rented equipment: days "without delay" gives an ISP Platform router return (ISP Platform art. 7),
# and how many days before and after a return deadline the customer is reminded.
EQUIPMENT_ISP_RETURN_DAYS = env.int("EQUIPMENT_ISP_RETURN_DAYS", 14)
# The outbox tries a failed e-mail again this many times in all (5 minutes, then 4× longer each time).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", 8)

# Alerts from the monitoring (docs/monitoring.md): an alert starting again within this many seconds of its
# outage's end reopens that outage (a flap) rather than opening another; a body over the limit is refused 413
# (Alertmanager's ``max_alerts`` keeps a group under it).
MONITORING_FLAP_SECONDS = env.int("MONITORING_FLAP_SECONDS", 300)
MONITORING_MAX_BODY_BYTES = env.int("MONITORING_MAX_BODY_BYTES", 512 * 1024)
EQUIPMENT_REMINDER_DAYS_BEFORE = env.int("EQUIPMENT_REMINDER_DAYS_BEFORE", 7)
EQUIPMENT_REMINDER_DAYS_AFTER = env.int("EQUIPMENT_REMINDER_DAYS_AFTER", 7)

# Receivables: the largest shortfall of a payment accepted as the transfer fee the payer deducted
# (振込手数料; banks charge up to 880 yen), and the days past due at which a dunning notice (督促) goes out.
RECEIVABLES_TRANSFER_FEE_TOLERANCE = env.int("RECEIVABLES_TRANSFER_FEE_TOLERANCE", 880)
RECEIVABLES_DUNNING_DAYS = tuple(env.list("RECEIVABLES_DUNNING_DAYS", cast=int, default=[7, 30]))
# The journal's account names where accounting's chart of accounts differs, e.g. "bank=当座預金,fees=支払手数料"
# (roles: receivable, sales, tax, bank, credit, suspense, fees; receivables/journal.py).
RECEIVABLES_JOURNAL_ACCOUNTS = env.dict("RECEIVABLES_JOURNAL_ACCOUNTS", default={})
# Our account that refunds of credit leave from (振込依頼人 of the 全銀協 総合振込 file): 委託者コード, name in
# half-width kana, bank and branch codes and names, account type (1 普通, 2 当座) and number.
RECEIVABLES_REFUND_ACCOUNT = {
    "code": env.str("RECEIVABLES_REFUND_CODE", "0000000000"),
    "name": env.str("RECEIVABLES_REFUND_NAME", "ｶ)ﾃﾞﾓﾈｯﾄ"),
    "bank_code": env.str("RECEIVABLES_REFUND_BANK_CODE", "0001"),
    "bank_name": env.str("RECEIVABLES_REFUND_BANK_NAME", "ﾐｽﾞﾎ"),
    "branch_code": env.str("RECEIVABLES_REFUND_BRANCH_CODE", "001"),
    "branch_name": env.str("RECEIVABLES_REFUND_BRANCH_NAME", "ﾎﾝﾃﾝ"),
    "account_type": env.str("RECEIVABLES_REFUND_ACCOUNT_TYPE", "1"),
    "account_number": env.str("RECEIVABLES_REFUND_ACCOUNT_NUMBER", "0000000"),
}
