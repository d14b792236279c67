"""Shared fixtures: a few named people, as in STYLE.md.

clerk (起草人), reviewer (法制审核员), director (分管领导), examadmin (考试管理员), buyer (采购办),
supervisor (监督方), enterprise (企业用户), sysadmin (系统管理员), outsider (logged in, no role).
"""

from __future__ import annotations

import importlib

import pytest
from django.test import Client

from fazhi.core import roles
from fazhi.core.models import ApiToken
from fazhi.core.services import ensure_user

PASSWORD = "test-pass-2026"


@pytest.fixture(autouse=True)
def _isolated_index(settings, tmp_path):
    """Every test gets its own empty search index directory."""
    settings.FAZHI_INDEX_DIR = tmp_path / "index"
    settings.MEDIA_ROOT = tmp_path / "media"


# Rows that data migrations create. A transactional test (live server, migration tests) ends with a
# flush of every table, which would leave the next tests of the same worker without them.
SEEDED_BY_MIGRATIONS = (
    "fazhi.review.migrations.0002_seed_doc_type_rules",
    "fazhi.performance.migrations.0002_default_scoring_config",
    "fazhi.policies.migrations.0005_seed_size_thresholds",
    "fazhi.exams.migrations.0005_certification_stages_retraining_expiry_rule",
    "fazhi.exams.migrations.0006_certification_exam_rule_qualifications",
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (all fixtures torn down), put the migration-seeded rows back."""
    yield
    if nextitem is None:
        return  # the last test of this worker: the test database is gone already
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            for name in SEEDED_BY_MIGRATIONS:
                importlib.import_module(name).seed(apps, None)
            # Opened here outside any test: close it, or it may still be open when the database is dropped.
            from django.db import connections

            connections.close_all()


def _make(username: str, role_names: list[str], **kw):
    return ensure_user(
        username=username, display_name=username, role_names=role_names, password=PASSWORD, **kw
    )


@pytest.fixture
def clerk(db):
    return _make("clerk", [roles.DRAFTER, roles.STAFF_MEMBER])


@pytest.fixture
def reviewer(db):
    return _make("reviewer1", [roles.REVIEWER, roles.STAFF_MEMBER], is_staff=True)


@pytest.fixture
def director(db):
    return _make("director", [roles.LEADER, roles.STAFF_MEMBER], is_staff=True)


@pytest.fixture
def examadmin(db):
    return _make("examadmin1", [roles.EXAM_ADMIN, roles.STAFF_MEMBER], is_staff=True)


@pytest.fixture
def buyer(db):
    return _make("buyer1", [roles.PROCUREMENT, roles.STAFF_MEMBER], is_staff=True)


@pytest.fixture
def supervisor(db):
    return _make("supervisor1", [roles.SUPERVISOR])


@pytest.fixture
def enterprise(db):
    return _make("enterprise1", [roles.ENTERPRISE])


@pytest.fixture
def sysadmin(db):
    return _make("sysadmin", [roles.SYSADMIN])


@pytest.fixture
def outsider(db):
    return _make("outsider", [])


@pytest.fixture
def login():
    """login(user) → a Django test Client with that user's session."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def token_for():
    """token_for(user) → headers dict with a fresh bearer token."""

    def _token(user) -> dict[str, str]:
        _, key = ApiToken.issue(user)
        return {"Authorization": f"Bearer {key}"}

    return _token
