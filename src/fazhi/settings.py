"""Django settings, all read from the environment.

DATABASE_URL     default: SQLite file var/fazhi.sqlite3 (WAL)
FAZHI_DATA_DIR   default: ../shared/data (relative to the project root)
FAZHI_INDEX_DIR  default: var/index
SECRET_KEY       generated once into var/secret_key for development; required when DEBUG is off
DEBUG            default: on ("1"); set DEBUG=0 for production
FAZHI_SITE_URL   site address for links in e-mails, e.g. https://fazhi.example.gov.cn;
                 default http://127.0.0.1:$PORT (8000) when DEBUG is on, required (check policies.W001) when off
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # project root (holds src/, var/)
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "staticfiles").mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
TESTING = env_bool("FAZHI_TESTING", "pytest" in sys.modules)

_DEV_SECRET_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境必须通过环境变量 SECRET_KEY 设置密钥（DEBUG=0 时不会自动生成）。")
    if not _DEV_SECRET_FILE.exists():
        _DEV_SECRET_FILE.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _DEV_SECRET_FILE.read_text().strip()
if not DEBUG and (
    len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure") or SECRET_KEY == "change-me"
):
    raise ImproperlyConfigured("SECRET_KEY 过短或为默认值，生产环境拒绝启动。")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

FAZHI_DATA_DIR = Path(os.environ.get("FAZHI_DATA_DIR", BASE_DIR.parent / "shared" / "data")).resolve()
FAZHI_INDEX_DIR = Path(os.environ.get("FAZHI_INDEX_DIR", VAR_DIR / "index")).resolve()
MEDIA_ROOT = Path(os.environ.get("FAZHI_MEDIA_DIR", VAR_DIR / "media"))
MEDIA_URL = "/media/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs page then uses ninja's bundled Swagger UI files, not a CDN
    "fazhi.core",
    "fazhi.search",
    "fazhi.laws",
    "fazhi.policies",
    "fazhi.review",
    "fazhi.review.precheck",
    "fazhi.exams",
    "fazhi.cases",
    "fazhi.publicity",
    "fazhi.performance",
    "fazhi.bidding",
    "fazhi.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi.core.middleware.RequestContextMiddleware",
    "fazhi.core.middleware.ChineseErrorPagesMiddleware",
]
# With DEBUG on, visitors still get the Chinese 404/500 pages; FAZHI_TECHNICAL_ERRORS=1 shows Django's
# technical pages (tracebacks, URL patterns) to a developer instead.
FAZHI_TECHNICAL_ERRORS = env_bool("FAZHI_TECHNICAL_ERRORS", False)
CSRF_FAILURE_VIEW = "fazhi.core.views.csrf_failure"

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades failing under load.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The platform speaks Chinese whatever the browser asks for (no LocaleMiddleware): an English browser
# used to get Django's "This field is required." and an English admin.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]  # our wording over Django's (form-label colon)
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if TESTING or DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fazhi@localhost")

SITE_NAME = "财政法治服务平台"
# Absolute site address (scheme and host) used for links in e-mails (policy pages, unsubscribe links).
# Development default: the runserver address; in production set FAZHI_SITE_URL (system check policies.W001).
_DEV_SITE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
SITE_URL = os.environ.get("FAZHI_SITE_URL", _DEV_SITE_URL if DEBUG else "").strip().rstrip("/")
DEMO_PASSWORD = "fazhi-demo-2026"

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
