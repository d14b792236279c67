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
