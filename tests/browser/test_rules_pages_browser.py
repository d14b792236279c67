"""The pages added for DOMAIN.md's rules, in Chromium: the drafter records a 公平竞争审查 exception and the
reviewer a 有效期评估 through the forms, and the pages (and the 应考尽考 list) pass axe-core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.review import services
from fazhi.review.models import Draft, FairCompetitionReview, State, ValidityEvaluation
from tests.browser.helpers import sign_in_with_session
from tests.review.conftest import add_version

pytestmark = pytest.mark.browser


@pytest.fixture
def market_draft(clerk, transactional_db):
    draft = services.create_draft(
        user=clerk,
        title="关于支持小微企业稳岗的若干措施",
        doc_type="其他文书",
        unit="预算科",
        affects_market=True,
    )
    add_version(draft, clerk, text="第一条 对稳岗企业给予补贴。\n第二条 本措施自印发之日起施行。")
    return draft


def test_the_drafter_records_an_exception_through_the_form(page, live_server, clerk, market_draft, axe_check):
    sign_in_with_session(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/review/drafts/{market_draft.pk}/")
    assert "未经公平竞争审查不得发布" in page.inner_text("body")
    assert axe_check(page) == []
    page.select_option("#f-conclusion", "exception")
    page.fill("#f-sum", "对照审查标准逐项审查，涉及定向奖补")
    page.select_option("#f-ground", "public_interest")
    page.fill("#f-need", "保障救灾物资供应所必需")
    page.fill("#f-alt", "已比较其他方式，均不能满足时限")
    page.fill("#f-end", "2027-12-31")
    page.click("form[action$='/fair-competition/'] button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "公平竞争审查结论已登记" in body and "适用例外规定" in body and "2027-12-31" in body
    item = FairCompetitionReview.objects.get(draft=market_draft)
    assert (item.exception_ground, item.ends_on, item.version_number) == (
        "public_interest",
        dt.date(2027, 12, 31),
        1,
    )


def test_the_reviewer_extends_a_document_through_the_form(
    page, live_server, reviewer, clerk, transactional_db, axe_check
):
    draft = services.create_draft(user=clerk, title="专项资金管理办法", doc_type="normative", unit="预算科")
    today = timezone.localdate()
    Draft.objects.filter(pk=draft.pk).update(
        state=State.PUBLISHED,
        published_on=today - dt.timedelta(days=1500),
        valid_until=today + dt.timedelta(days=60),
    )
    sign_in_with_session(page, live_server.url, reviewer)
    page.goto(f"{live_server.url}/review/drafts/{draft.pk}/#validity")
    assert axe_check(page) == []
    new_end = today + dt.timedelta(days=1000)
    page.fill("#v-until", new_end.isoformat())
    page.fill("#v-sum", "实施效果良好，继续施行")
    page.click("form[action$='/validity/'] button[type=submit]")
    page.wait_for_load_state()
    assert "有效期评估已登记" in page.inner_text("body")
    assert Draft.objects.get(pk=draft.pk).valid_until == new_end
    assert ValidityEvaluation.objects.get(draft=draft).outcome == "continue"


def test_the_certification_gaps_page_passes_axe(page, live_server, examadmin, transactional_db, axe_check):
    sign_in_with_session(page, live_server.url, examadmin)
    response = page.goto(f"{live_server.url}/exams/certificates/gaps/")
    assert response is not None and response.status == 200
    assert "应考尽考" in page.inner_text("body")
    assert axe_check(page) == []
