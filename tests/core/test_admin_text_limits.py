"""节假日安排的备注 (written only in the admin) is refused over its limit, at the limit saved."""

from __future__ import annotations

import datetime as dt

from fazhi.core import limits
from fazhi.core.admin import HOLIDAY_NOTE_LIMIT
from fazhi.core.models import CalendarDay

from .admin_change import admin_client, refused, shown_values, superuser  # noqa: F401


def test_a_holiday_note_over_its_limit_is_refused_and_nothing_changes(admin_client):  # noqa: F811
    day = CalendarDay.objects.create(date=dt.date(2026, 10, 1), name="国庆节", note="国办发明电〔2025〕7号")
    url = f"/admin/core/calendarday/{day.pk}/change/"
    data = shown_values(admin_client, url)
    response = admin_client.post(url, data | {"note": "备" * (HOLIDAY_NOTE_LIMIT + 1), "name": "国庆"})
    assert refused(response, "note") == [
        f"备注不能超过 {HOLIDAY_NOTE_LIMIT:,} 个字（当前 {HOLIDAY_NOTE_LIMIT + 1:,} 个字）。"
    ]
    day.refresh_from_db()
    assert (day.name, day.note) == ("国庆节", "国办发明电〔2025〕7号")
    saved = admin_client.post(url, data | {"note": "备" * HOLIDAY_NOTE_LIMIT})
    assert saved.status_code == 302
    day.refresh_from_db()
    assert day.note == "备" * HOLIDAY_NOTE_LIMIT


def test_a_new_holiday_with_a_long_note_is_not_added(admin_client):  # noqa: F811
    data = shown_values(admin_client, "/admin/core/calendarday/add/")
    response = admin_client.post(
        "/admin/core/calendarday/add/",
        data | {"date": "2026-10-02", "kind": "holiday", "note": "备" * (HOLIDAY_NOTE_LIMIT + 1)},
    )
    assert refused(response, "note")
    assert not CalendarDay.objects.filter(date=dt.date(2026, 10, 2)).exists()


POLICY_TEXTS = (
    "beneficiaries",
    "conditions_text",
    "support_standard",
    "apply_method",
    "interpretation",
    "full_text",
)
# Texts whose admin form checks them through the service's own rule in its clean() (the same limits).
CHECKED_BY_THE_FORMS_CLEAN = {
    "policies.SizeThreshold.note",  # threshold_problems
    *(f"policies.Policy.{name}" for name in POLICY_TEXTS),  # clean_policy_values
    "exams.Question.stem",  # bank.clean_question (a 案例题's own stem and 解析 are not checked)
    "exams.Question.explanation",
    "exams.Qualification.note",  # check_qualification
    *(f"cases.Case.{name}" for name in ("facts", "dispute", "decision", "analysis", "lessons")),
    "publicity.Post.transcript",  # clean_transcript
}
# Texts only an administrator writes in the admin, still without a limit (listed, not yet decided).
ADMIN_ONLY_WITHOUT_A_LIMIT = {
    "core.Message.body",  # 站内消息 written by hand; the system's own messages are built by the code
    "publicity.Campaign.description",  # 宣传节点的简介
    "performance.ScoringConfig.basis",  # 绩效评分规则的依据
}


def test_every_text_an_admin_form_takes_is_limited(superuser, rf):  # noqa: F811
    from django.contrib import admin
    from django.db import models

    request = rf.get("/admin/")
    request.user = superuser
    unlimited = set()
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            writes = each.has_change_permission(request) or (
                each.has_add_permission(request, None)
                if isinstance(each, admin.options.InlineModelAdmin)
                else each.has_add_permission(request)
            )
            if not writes:
                continue
            form_class = (
                each.get_formset(request).form
                if isinstance(each, admin.options.InlineModelAdmin)
                else each.get_form(request)
            )
            readonly = set(each.get_readonly_fields(request))
            for field in each.model._meta.get_fields():
                if not isinstance(field, models.TextField) or field.name in readonly:
                    continue
                form_field = form_class.base_fields.get(field.name)
                if form_field is None:
                    continue
                if not any(isinstance(v, limits.MaxChars) for v in form_field.validators):
                    unlimited.add(f"{each.model._meta.app_label}.{each.model.__name__}.{field.name}")
    assert unlimited - CHECKED_BY_THE_FORMS_CLEAN == ADMIN_ONLY_WITHOUT_A_LIMIT
