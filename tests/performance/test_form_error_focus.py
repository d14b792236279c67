"""填报绩效目标表 and 绩效自评表 sent back with errors: the list of problems (about the whole table, not one
field) is marked data-form-error, so form-errors.js puts the focus on it and a screen reader reads it first
(GB/T 37668-2019 / WCAG 3.3.1)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db
SUMMARY = re.compile(r'<div class="error" role="alert" data-form-error><p>未保存，请修改以下问题：</p>')


def test_the_target_forms_problems_take_the_focus(project, clerk, login):
    r = login(clerk).post(
        f"/performance/manage/projects/{project.pk}/target/", {"rows": "0", "annual_goal": "x"}
    )
    assert "绩效目标表没有任何指标" in r.content.decode()
    assert SUMMARY.search(r.content.decode())


def test_the_evaluation_forms_problems_take_the_focus(approved_project, clerk, login):
    url = f"/performance/manage/projects/{approved_project.pk}/evaluation/"
    r = login(clerk).post(url, {"achievement": "完成情况说明", "executed": "99999999"})
    assert "超过全年预算数的 1000 倍" in r.content.decode()
    assert SUMMARY.search(r.content.decode())


def test_a_form_without_problems_marks_nothing(project, clerk, login):
    r = login(clerk).get(f"/performance/manage/projects/{project.pk}/target/")
    assert "data-form-error" not in r.content.decode()


def test_a_row_named_in_a_problem_is_marked_at_its_first_field(project, clerk, login):
    """A problem of one row ("第2行…") marks that row's 三级指标 field, tied to the message: form-errors.js then
    puts the focus in the row to correct, and a screen reader reads the message with it."""
    row = {"l1": "产出指标", "l2": "数量指标", "dir": "≥", "unit": "个", "w": "10"}
    data = {"rows": "3", "annual_goal": "年度目标"}
    for i, (name, value) in enumerate([("完成项目数", "10"), ("覆盖人数", "很多"), ("", "")]):
        if name:
            data |= {f"{k}_{i}": v for k, v in row.items()} | {f"name_{i}": name, f"tv_{i}": value}
    page = login(clerk).post(f"/performance/manage/projects/{project.pk}/target/", data).content.decode()
    messages = re.findall(r'<li id="(form-error-\d+)">(第\d+行[^<]*)</li>', page)
    assert any(text.startswith("第2行") for _, text in messages), page[:2000]
    ids = " ".join(k for k, text in messages if text.startswith("第2行"))
    assert f'id="name_1" name="name_1" value="覆盖人数" aria-invalid="true" aria-describedby="{ids}"' in page
    messages_of_row_1 = [text for _, text in messages if text.startswith("第1行")]
    marked = re.search(r'<input id="name_0"[^>]*>', page).group(0)
    assert ("aria-invalid" in marked) == bool(messages_of_row_1), (marked, messages_of_row_1)
