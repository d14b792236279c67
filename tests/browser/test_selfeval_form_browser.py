"""填报绩效自评表 in Chromium, sent back with problems: the focus lands on the first input a problem is about
(marked aria-invalid, which names its problem), what was typed stays, and axe-core finds nothing serious on the
form with its problems at 1280 and 375 px."""

from __future__ import annotations

import pytest

from fazhi.performance import rules
from tests.browser.helpers import sign_in_with_session
from tests.performance.conftest import ACTUALS, approved_project, project, unit  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 800}
WIDE = {"width": 1280, "height": 900}

FOCUSED_JS = """() => { const e = document.activeElement;
    return {id: e.id, invalid: e.getAttribute('aria-invalid'), value: e.value,
            said: (e.getAttribute('aria-describedby') || '').split(' ')
                  .map(id => document.getElementById(id)?.textContent || '').join(' ')}; }"""


def fill_in(page, evaluated, **changes: str) -> None:
    """Type a complete self-evaluation (then `changes`, by field id) and send it."""
    page.fill("#achievement", "完成情况说明")
    page.fill("#executed", "108")
    for ind in evaluated.target.indicators.all():
        actual, reason, improve = ACTUALS[ind.name]
        if ind.direction == rules.QUAL:
            page.select_option(f"#actual_{ind.pk}", actual)
        else:
            page.fill(f"#actual_{ind.pk}", actual)
        page.fill(f"#reason_{ind.pk}", reason)
        page.fill(f"#improve_{ind.pk}", improve)
    for field, value in changes.items():
        page.fill(f"#{field}", value)
    with page.expect_navigation():
        page.get_by_role("button", name="保存并计分").click()
    page.wait_for_selector("main [data-form-error]")


@pytest.fixture
def evaluation_form(page, live_server, clerk, approved_project):  # noqa: F811
    sign_in_with_session(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/performance/manage/projects/{approved_project.pk}/evaluation/")
    return approved_project


@pytest.mark.parametrize("screen", [WIDE, PHONE], ids=["1280", "375"])
def test_a_wrong_actual_value_takes_the_focus_and_keeps_what_was_typed(
    page, evaluation_form, screen, axe_check
):
    page.set_viewport_size(screen)
    ind = evaluation_form.target.indicators.get(name="资助学生人数")
    fill_in(page, evaluation_form, **{f"actual_{ind.pk}": "四百五十"})
    focused = page.evaluate(FOCUSED_JS)
    assert focused["id"] == f"actual_{ind.pk}" and focused["invalid"] == "true", focused
    assert focused["value"] == "四百五十"
    assert "指标“资助学生人数”：实际完成值“四百五十”不是数字" in focused["said"]
    assert page.locator(f"#actual_{ind.pk} + .error-mark").is_visible()
    assert page.input_value(f"#reason_{ind.pk}") == ACTUALS["资助学生人数"][1]  # the rest kept too
    assert axe_check(page) == []


def test_with_several_problems_the_first_marked_input_takes_the_focus(page, evaluation_form, axe_check):
    page.set_viewport_size(PHONE)
    inds = {i.name: i for i in evaluation_form.target.indicators.all()}
    first, last = inds["资助学生人数"], inds["受助学生满意度"]
    fill_in(
        page,
        evaluation_form,
        **{f"actual_{last.pk}": "很高", f"improve_{first.pk}": "措" * 2001, "executed": "-1"},
    )
    marked = page.eval_on_selector_all("main form [aria-invalid='true']", "fields => fields.map(f => f.id)")
    assert marked == ["executed", f"improve_{first.pk}", f"actual_{last.pk}"]
    focused = page.evaluate(FOCUSED_JS)
    assert focused["id"] == "executed" and "全年执行数" in focused["said"] and focused["value"] == "-1"
    page.keyboard.press("Tab")  # the keyboard goes on from there, into the table
    assert page.evaluate("document.activeElement.closest('form') !== null")
    assert axe_check(page) == []
