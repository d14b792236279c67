"""The texts only an administrator writes in the admin are refused over their limits, at the limit saved:
节假日安排的备注 and 站内消息的内容 here; every other admin text is limited in its own app (the sweep below)."""

from __future__ import annotations

import datetime as dt

from fazhi.core import limits
from fazhi.core.admin import HOLIDAY_NOTE_LIMIT, MESSAGE_BODY_LIMIT
from fazhi.core.models import CalendarDay, Message

from .admin_change import (  # noqa: F401
    admin_client,
    assert_admin_text_limit,
    refused,
    shown_values,
    superuser,
)


def test_a_holiday_note_over_its_limit_is_refused_and_nothing_changes(admin_client):  # noqa: F811
    day = CalendarDay.objects.create(date=dt.date(2026, 10, 1), name="国庆节", note="国办发明电〔2025〕7号")
    assert_admin_text_limit(
        admin_client,
        f"/admin/core/calendarday/{day.pk}/change/",
        "note",
        HOLIDAY_NOTE_LIMIT,
        "备注",
        day,
        also={"name": "国庆"},
        fill="备",
    )


def test_a_message_body_over_its_limit_is_refused_and_nothing_changes(admin_client, superuser):  # noqa: F811
    message = Message.objects.create(recipient=superuser, title="系统维护通知", body="今晚停机维护。")
    assert_admin_text_limit(
        admin_client,
        f"/admin/core/message/{message.pk}/change/",
        "body",
        MESSAGE_BODY_LIMIT,
        "内容",
        message,
        also={"title": "改过的标题"},
        fill="内",
    )


def test_a_new_message_with_a_long_body_is_not_sent(admin_client, superuser):  # noqa: F811
    data = shown_values(admin_client, "/admin/core/message/add/")
    response = admin_client.post(
        "/admin/core/message/add/",
        data | {"recipient": str(superuser.pk), "title": "通知", "body": "内" * (MESSAGE_BODY_LIMIT + 1)},
    )
    assert refused(response, "body") == [
        f"内容不能超过 {MESSAGE_BODY_LIMIT:,} 个字（当前 {MESSAGE_BODY_LIMIT + 1:,} 个字）。"
    ]
    assert not Message.objects.filter(title="通知").exists()


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
    "exams.Question.stem",  # bank.clean_question (a 案例题's own too, its sub-questions in their rows)
    "exams.Question.explanation",
    "exams.Qualification.note",  # check_qualification
    *(f"cases.Case.{name}" for name in ("facts", "dispute", "decision", "analysis", "lessons")),
    "publicity.Post.transcript",  # clean_transcript
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
    # Every text is limited: a new admin text takes a limit (text_limits, or the service's rule in clean()).
    assert unlimited - CHECKED_BY_THE_FORMS_CLEAN == set()
