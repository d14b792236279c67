"""Settings read from the environment: outgoing mail (SMTP) and the government-site footer."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured

import fazhi.settings

SETTINGS_FILE = Path(fazhi.settings.__file__)
MAIL_AND_FOOTER = (
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "EMAIL_BACKEND",
    "DEFAULT_FROM_EMAIL",
    "FAZHI_SITE_OWNER",
    "FAZHI_CONTACT",
    "FAZHI_ICP",
    "FAZHI_PSB_RECORD",
    "FAZHI_SITE_CODE",
)


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """load_settings(**env) → a fresh copy of fazhi/settings.py evaluated with exactly that environment for
    the mail and footer variables (the running settings are not touched)."""

    def _load(**env: str) -> ModuleType:
        for name in MAIL_AND_FOOTER:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("FAZHI_VAR_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("SECRET_KEY", "x" * 50)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("fazhi_settings_probe", SETTINGS_FILE)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return _load


def test_without_a_mail_server_mails_are_files(load_settings):
    conf = load_settings()
    assert conf.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert conf.EMAIL_HOST == "" and conf.EMAIL_PORT == 25
    assert conf.DEFAULT_FROM_EMAIL == "fazhi@localhost"


def test_a_mail_server_from_the_environment_is_used_over_smtp(load_settings):
    conf = load_settings(
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="fazhi@example.gov.cn",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_SSL="1",
        DEFAULT_FROM_EMAIL="区财政局 <fazhi@example.gov.cn>",
    )
    assert conf.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf.EMAIL_HOST, conf.EMAIL_PORT) == ("smtp.example.gov.cn", 465)
    assert (conf.EMAIL_HOST_USER, conf.EMAIL_HOST_PASSWORD) == ("fazhi@example.gov.cn", "s3cret")
    assert conf.EMAIL_USE_SSL is True and conf.EMAIL_USE_TLS is False
    assert conf.DEFAULT_FROM_EMAIL == conf.SERVER_EMAIL == "区财政局 <fazhi@example.gov.cn>"


def test_an_explicit_backend_wins(load_settings):
    conf = load_settings(
        EMAIL_HOST="smtp.example.gov.cn", EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    assert conf.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_tls_and_ssl_together_are_refused_in_chinese(load_settings):
    with pytest.raises(ImproperlyConfigured, match="只能设置其一"):
        load_settings(EMAIL_HOST="smtp.example.gov.cn", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")


def test_a_port_that_is_not_a_number_is_refused_in_chinese(load_settings):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT 应为整数"):
        load_settings(EMAIL_PORT="smtp")


def test_the_footer_settings_default_to_empty_and_come_from_the_environment(load_settings):
    empty = load_settings()
    assert (empty.FAZHI_SITE_OWNER, empty.FAZHI_CONTACT, empty.FAZHI_ICP, empty.FAZHI_PSB_RECORD) == (
        "",
        "",
        "",
        "",
    )
    conf = load_settings(
        FAZHI_SITE_OWNER=" 某区财政局 ",
        FAZHI_CONTACT="电话 010-12345678",
        FAZHI_ICP="京ICP备12345678号-1",
        FAZHI_PSB_RECORD="京公网安备11010502030143号",
        FAZHI_SITE_CODE="1101050001",
    )
    assert conf.FAZHI_SITE_OWNER == "某区财政局"
    assert conf.FAZHI_ICP == "京ICP备12345678号-1" and conf.FAZHI_PSB_RECORD == "京公网安备11010502030143号"
    assert conf.FAZHI_CONTACT == "电话 010-12345678" and conf.FAZHI_SITE_CODE == "1101050001"
