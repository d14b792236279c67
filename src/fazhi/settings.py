"""Django settings, all read from the environment.

DATABASE_URL     default: SQLite file var/fazhi.sqlite3 (WAL)
FAZHI_DATA_DIR   default: ../shared/data (relative to the project root)
FAZHI_INDEX_DIR  default: var/index
SECRET_KEY       generated once into var/secret_key for development; required when DEBUG is off
DEBUG            default: on ("1"); set DEBUG=0 for production
FAZHI_SITE_URL   site address for links in e-mails, e.g. https://fazhi.example.gov.cn;
                 default http://127.0.0.1:$PORT (8000) when DEBUG is on, required (check policies.W001) when off
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT,
DEFAULT_FROM_EMAIL, EMAIL_BACKEND
                 outgoing mail; without EMAIL_HOST mails are files in var/mail/
FAZHI_SITE_OWNER, FAZHI_CONTACT, FAZHI_ICP, FAZHI_PSB_RECORD, FAZHI_SITE_CODE
                 the footer a government site must show (国办发〔2017〕47号); empty lines are hidden
FAZHI_ORG_NAME   the bureau's name (default 区财政局): the issuer of 审查意见书 and of the normative documents
                 the review workflow puts into the 法规库, and the whole-bureau choice of the dashboard
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
    "fazhi.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi.core.middleware.RequestContextMiddleware",
    "fazhi.core.middleware.PasswordAgeMiddleware",
    "fazhi.core.middleware.TwoFactorRequiredMiddleware",
    "fazhi.core.middleware.ChineseErrorPagesMiddleware",
    "fazhi.core.middleware.AdminAltTextMiddleware",
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
# Every password check goes through the login guard (lockout and login log, fazhi.core.login_guard).
AUTHENTICATION_BACKENDS = ["fazhi.core.login_guard.LoginGuardBackend"]
# GB/T 22239-2019 8.1.4.1 a (口令复杂度): at least 8 characters with letters and digits. The validators apply
# to the forms (register, change, reset); create_user() in fixtures and commands does not run them.
AUTH_PASSWORD_VALIDATORS = [
    # Django's length and common-password checks, with Chinese messages.
    {"NAME": "fazhi.core.accounts.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "fazhi.core.accounts.CommonPasswordValidator"},
    {"NAME": "fazhi.core.accounts.LettersAndDigitsValidator"},
    # Not a check: its password_changed() hook revokes the user's API tokens after any password change and
    # records when the password was set (FAZHI_PASSWORD_MAX_AGE_DAYS).
    {"NAME": "fazhi.core.accounts.AfterPasswordChange"},
]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，当前为“{value}”。") from None


# 登录失败处理 (GB/T 22239-2019 8.1.4.1 b: 限制非法登录次数): so many failures within the window lock the
# username (or the client address) for FAZHI_LOGIN_LOCK_MINUTES. Counted in the database (all processes).
FAZHI_LOGIN_MAX_FAILURES_PER_USER = env_int("FAZHI_LOGIN_MAX_FAILURES_PER_USER", 5)
FAZHI_LOGIN_MAX_FAILURES_PER_IP = env_int("FAZHI_LOGIN_MAX_FAILURES_PER_IP", 30)
FAZHI_LOGIN_FAILURE_WINDOW_MINUTES = env_int("FAZHI_LOGIN_FAILURE_WINDOW_MINUTES", 15)
FAZHI_LOGIN_LOCK_MINUTES = env_int("FAZHI_LOGIN_LOCK_MINUTES", 15)
# Login log retention. 《网络安全法》第二十一条（三）: 留存相关的网络日志不少于六个月 — keep more than 183 days.
FAZHI_LOGIN_LOG_DAYS = max(env_int("FAZHI_LOGIN_LOG_DAYS", 365), 184)
# Self-service limits per client address and hour: enterprise registrations, password-reset mails.
FAZHI_REGISTRATIONS_PER_IP_HOUR = env_int("FAZHI_REGISTRATIONS_PER_IP_HOUR", 10)
FAZHI_PASSWORD_RESETS_PER_IP_HOUR = env_int("FAZHI_PASSWORD_RESETS_PER_IP_HOUR", 10)
# Addresses (or networks, e.g. 10.0.0.0/8) of reverse proxies whose X-Forwarded-For is believed; empty:
# the client address is REMOTE_ADDR (a client could write any X-Forwarded-For itself).
FAZHI_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("FAZHI_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# The file uploaded for a 后台任务 (an import) is kept this many days after the job ends, for checking what
# was imported; then the file is deleted and the job's record (name, result) stays. 0 keeps files for ever.
FAZHI_JOB_FILE_DAYS = env_int("FAZHI_JOB_FILE_DAYS", 30)
# 数据备份 (fazhi backup create): where the archives go, how many are kept, and whether the periodic loop
# makes one every day.
FAZHI_BACKUP_DIR = Path(os.environ.get("FAZHI_BACKUP_DIR", VAR_DIR / "backups"))
FAZHI_BACKUP_KEEP = env_int("FAZHI_BACKUP_KEEP", 14)
FAZHI_BACKUP_DAILY = env_bool("FAZHI_BACKUP_DAILY", False)
# 两步验证: the roles (group names, comma-separated, e.g. 系统管理员) that must use a one-time code from an
# authenticator app after the password; empty: it is each user's choice (账号信息 → 两步验证).
FAZHI_2FA_REQUIRED_ROLES = [
    r.strip() for r in os.environ.get("FAZHI_2FA_REQUIRED_ROLES", "").split(",") if r.strip()
]
# Bearer tokens of POST /api/v1/auth/token expire after this many days.
FAZHI_TOKEN_DAYS = env_int("FAZHI_TOKEN_DAYS", 30)

# 连接超时自动退出 (GB/T 22239-2019 8.1.4.1 b): a session idle for FAZHI_SESSION_IDLE_MINUTES ends; every
# request pushes the end back (an open exam sheet pings /accounts/keepalive/ so a long read does not
# log the candidate out). The cookie also ends with the browser unless FAZHI_SESSION_EXPIRE_AT_BROWSER_CLOSE=0.
FAZHI_SESSION_IDLE_MINUTES = max(env_int("FAZHI_SESSION_IDLE_MINUTES", 30), 1)
SESSION_COOKIE_AGE = FAZHI_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("FAZHI_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# 身份鉴别信息定期更换 (GB/T 22239-2019 8.1.4.1 a): a password older than this many days must be changed
# before any other page opens (and POST /api/v1/auth/token refuses it); 0 turns the rule off.
FAZHI_PASSWORD_MAX_AGE_DAYS = max(env_int("FAZHI_PASSWORD_MAX_AGE_DAYS", 90), 0)
# Password-reset links are valid for one hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * 60
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

# Outgoing mail (password reset, subscription notices, reminders). Without EMAIL_HOST mails are written as
# files to var/mail/ (development); with it they go to that SMTP server. EMAIL_BACKEND overrides either.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS 与 EMAIL_USE_SSL 只能设置其一：端口 587 通常用 EMAIL_USE_TLS=1，端口 465 用 EMAIL_USE_SSL=1。"
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)  # seconds; a hung mail server must not hold a request forever
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fazhi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_NAME = "财政法治服务平台"
# Absolute site address (scheme and host) used for links in e-mails (policy pages, unsubscribe links).
# Development default: the runserver address; in production set FAZHI_SITE_URL (system check policies.W001).
_DEV_SITE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
SITE_URL = os.environ.get("FAZHI_SITE_URL", _DEV_SITE_URL if DEBUG else "").strip().rstrip("/")
DEMO_PASSWORD = "fazhi-demo-2026"
# The footer every page shows, as 国办发〔2017〕47号《政府网站发展指引》 asks of a government site: 主办单位,
# 联系方式, 网站标识码, ICP备案编号 (linked to https://beian.miit.gov.cn/) and 公安机关备案号. An empty value
# hides its line (a development copy has none of them).
FAZHI_SITE_OWNER = os.environ.get("FAZHI_SITE_OWNER", "").strip()
FAZHI_ORG_NAME = os.environ.get("FAZHI_ORG_NAME", "").strip() or "区财政局"
FAZHI_CONTACT = os.environ.get("FAZHI_CONTACT", "").strip()
FAZHI_ICP = os.environ.get("FAZHI_ICP", "").strip()
FAZHI_PSB_RECORD = os.environ.get("FAZHI_PSB_RECORD", "").strip()
FAZHI_SITE_CODE = os.environ.get("FAZHI_SITE_CODE", "").strip()

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
