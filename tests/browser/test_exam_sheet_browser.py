"""In Chromium on a phone (390×844): a 50-question answer sheet keeps the remaining time in sight, each
question's number sits with its text and the option buttons are big enough to tap; 交卷 asks first, naming
the questions left blank, and time running out hands the paper in without asking."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.exams.models import Attempt
from fazhi.exams.services import attempts, bank
from tests.browser.helpers import sign_in_with_session

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
LONG = "根据《中华人民共和国行政处罚法》的规定，行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利，下列说法正确的是"


def _rows() -> list[tuple[int, dict]]:
    rows: list[dict] = []
    for i in range(25):
        rows.append({"type": "single", "stem": f"{LONG}（单选{i}）",
                     "options": ["应当告知，当事人放弃陈述申辩权利的除外", "可以不告知", "只需口头告知", "无需告知"],
                     "answer": "A"})  # fmt: skip
    for i in range(10):
        rows.append({"type": "multiple", "stem": f"{LONG}（多选{i}）", "options": ["甲", "乙", "丙", "丁"],
                     "answer": ["A", "B"]})  # fmt: skip
    for i in range(15):
        rows.append({"type": "judge", "stem": f"判断{i}：{LONG[:60]}", "answer": "正确"})
    return list(enumerate(rows, start=1))


@pytest.fixture
def paper(transactional_db, examadmin):
    assert bank.import_questions(rows=_rows()).ok
    now = timezone.now()
    exam = attempts.create_exam(
        title="行政执法人员网上考试",
        blueprint=[
            {"type": "single", "knowledge_point": "", "count": 25, "points": 2},
            {"type": "multiple", "knowledge_point": "", "count": 10, "points": 2},
            {"type": "judge", "knowledge_point": "", "count": 15, "points": 2},
        ],
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        time_limit_minutes=120,
        pass_mark=60,
        created_by=examadmin,
    )
    user = ensure_user(username="phone_cand", display_name="考生丙", role_names=[roles.STAFF_MEMBER],
                       password="x-pass-2026")  # fmt: skip
    attempt, _ = attempts.start_attempt(user=user, exam_id=exam.pk)
    return user, attempt


def _phone(browser, **kw):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True, **kw)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser):
    context = _phone(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_scripts(browser):
    context = _phone(browser, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _shots() -> Path:
    """Where the screenshots (for a person to look at; no assertion reads them) go: var/screenshots/, or
    FAZHI_EXAM_SHOTS."""
    folder = Path(os.environ.get("FAZHI_EXAM_SHOTS") or Path(settings.BASE_DIR) / "var" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(phone, live_server, paper) -> Attempt:
    user, attempt = paper
    sign_in_with_session(phone, live_server.url, user)
    phone.goto(f"{live_server.url}/exams/attempts/{attempt.pk}/")
    return attempt


def test_the_timer_stays_in_sight_and_questions_read_well_on_a_phone(phone, live_server, paper, axe_check):
    _open(phone, live_server, paper)
    shots = _shots()
    phone.screenshot(path=str(shots / "exam-sheet-phone-top.png"))
    phone.locator("fieldset").nth(30).scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "exam-sheet-phone-scrolled.png"))
    phone.screenshot(path=str(shots / "exam-sheet-phone-full.png"), full_page=True)
    phone.get_by_role("button", name="交卷").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "exam-sheet-phone-buttons.png"))
    assert axe_check(phone) == []
    timer = phone.locator("#timer").bounding_box()
    assert timer is not None and timer["y"] >= 0 and timer["y"] + timer["height"] <= PHONE["height"]
    # The number is part of the question's own text (no list marker floating beside the options)…
    legend = phone.locator("fieldset").nth(30).locator("legend")
    expect(legend).to_contain_text("31.")
    assert phone.locator(".exam-sheet ol").evaluate("el => getComputedStyle(el).listStyleType") == "none"
    # …and a long question stays inside its box instead of running over the border.
    for i in (0, 30, 49):
        box = phone.locator("fieldset").nth(i).bounding_box()
        text = phone.locator("fieldset").nth(i).locator("legend").bounding_box()
        assert box and text and text["y"] > box["y"] + 4, (i, box, text)  # below the top border, not on it
        assert text["x"] + text["width"] <= box["x"] + box["width"]
    for kind in ("radio", "checkbox"):
        size = phone.locator(f"input[type={kind}]").first.bounding_box()
        assert size and size["width"] >= 20 and size["height"] >= 20, (kind, size)


def test_handing_in_asks_first_and_names_the_blank_questions(phone, live_server, paper):
    attempt = _open(phone, live_server, paper)
    for i in (0, 1):
        phone.locator("fieldset").nth(i).locator("input").first.check()
        expect(phone.locator("fieldset").nth(i)).to_contain_text("已保存")
    asked: list[str] = []

    def decline(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    phone.once("dialog", decline)
    phone.get_by_role("button", name="交卷").click()
    expect(phone.locator("#timer")).to_be_visible()
    assert asked == ["还有 48 题未作答，交卷后不能修改。确定交卷？"]
    attempt.refresh_from_db()
    assert not attempt.is_submitted

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="交卷").click()
    expect(phone.get_by_role("status").filter(has_text="得分 ")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.is_submitted and not attempt.auto_submitted


def test_time_running_out_hands_the_paper_in_without_asking(phone, live_server, paper):
    _user, attempt = paper
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=3))
    asked: list[str] = []
    phone.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    _open(phone, live_server, paper)
    expect(phone.get_by_text("超时自动交卷")).to_be_visible(timeout=10_000)
    assert asked == []
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.auto_submitted


def test_without_javascript_the_server_asks_and_keeps_the_answers(phone_without_scripts, live_server, paper):
    page = phone_without_scripts
    attempt = _open(page, live_server, paper)
    page.locator("fieldset").nth(2).locator("input").first.check()
    page.get_by_role("button", name="交卷").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("还有 49 题未作答")
    expect(page.locator("fieldset").nth(2).locator("input").first).to_be_checked()
    page.screenshot(path=str(_shots() / "exam-sheet-phone-no-js-warning.png"))
    attempt.refresh_from_db()
    assert not attempt.is_submitted

    page.get_by_role("button", name="仍要交卷").click()
    expect(page.get_by_role("status").filter(has_text="得分 ")).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.answers.exclude(answer=[]).count() == 1
