"""合法性审查 admin lists cost the same few queries for 2 rows or 12; users and drafts are picked by id."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.review.models import PrecheckFinding, ProcedureRecord, ReviewOpinion, Transition
from fazhi.review.precheck.models import RuleSetting
from tests.review.conftest import add_version


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", password="x-pass-2026", email="")
    client.force_login(user)
    return client


def _rows(start: int, n: int, clerk, reviewer, director, make_draft) -> None:
    for i in range(start, start + n):
        draft = make_draft(title=f"文稿{i}")  # each with a version and three procedure records
        version = draft.versions.get()
        ReviewOpinion.objects.create(draft=draft, version=version, reviewer=reviewer, signed_by=director)
        PrecheckFinding.objects.create(
            version=version,
            rule_id="R1",
            family="fc",
            severity="高",
            paragraph=1,
            start=0,
            end=1,
            quote="本区",
        )
        Transition.objects.create(
            draft=draft, actor=clerk, action="submit", from_state="drafting", to_state="submitted"
        )
        RuleSetting.objects.create(rule_id=f"RULE-{i}", severity="高", updated_by=reviewer)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get(url)
    assert resp.status_code == 200, url
    return len(ctx)


LISTS = [
    "/admin/review/reviewopinion/",
    "/admin/review/precheckfinding/",
    "/admin/review/procedurerecord/",
    "/admin/precheck/rulesetting/",
]


def test_the_admin_lists_do_not_query_per_row(admin_client, clerk, reviewer, director, make_draft):
    _rows(0, 2, clerk, reviewer, director, make_draft)
    for url in LISTS:
        _queries(admin_client, url)  # warm Django's content-type cache
    few = {url: _queries(admin_client, url) for url in LISTS}
    _rows(2, 10, clerk, reviewer, director, make_draft)
    many = {url: _queries(admin_client, url) for url in LISTS}
    assert many == few


def test_the_draft_page_shows_versions_and_history_without_a_query_per_row(
    admin_client, clerk, reviewer, director, make_draft
):
    draft = make_draft()
    Transition.objects.create(
        draft=draft, actor=clerk, action="submit", from_state="drafting", to_state="submitted"
    )
    url = f"/admin/review/draft/{draft.pk}/change/"
    _queries(admin_client, url)  # the first request also fills Django's content-type cache
    one = _queries(admin_client, url)
    for i in range(6):
        add_version(draft, clerk, text=f"第{i}稿")
        Transition.objects.create(
            draft=draft, actor=reviewer, action="return", from_state="in_review", to_state="returned"
        )
    assert _queries(admin_client, url) == one


def test_procedure_records_pick_the_draft_and_the_person_by_id(admin_client, clerk, make_draft):
    draft = make_draft()
    record = ProcedureRecord.objects.filter(draft=draft).first()
    page = admin_client.get(f"/admin/review/procedurerecord/{record.pk}/change/").content.decode()
    assert 'name="draft"' in page and 'name="recorded_by"' in page
    assert '<select name="draft"' not in page and '<select name="recorded_by"' not in page
    assert 'class="vForeignKeyRawIdAdminField"' in page
