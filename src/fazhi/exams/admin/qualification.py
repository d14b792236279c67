"""学法考试 admin, 法律专业资格: the register, on its own and inline on each person of the staff registry;
checked by the rules of services.qualifications (the saves are audited like every model write)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.errors import ValidationFailed
from fazhi.exams import models
from fazhi.exams.admin.permissions import ExamAdminPermissions
from fazhi.exams.services import qualifications


class QualificationForm(forms.ModelForm):
    class Meta:
        model = models.Qualification
        fields = ["profile", "kind", "number", "obtained_on", "expires_on", "issuer", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data  # a field already says what is missing or wrong
        try:
            data["number"] = qualifications.check_qualification(
                kind=data.get("kind") or "",
                number=data.get("number") or "",
                obtained_on=data.get("obtained_on"),
                expires_on=data.get("expires_on"),
                issuer=data.get("issuer") or "",
                note=data.get("note") or "",
                qualification=self.instance,
            )
        except ValidationFailed as exc:
            # At the field, so that the database constraint is not reported a second time.
            self.add_error("number" if exc.code == qualifications.DUPLICATE else None, exc.message)
        return data


class QualificationFormSet(forms.BaseInlineFormSet):
    """Two rows of one page with the same number are refused here: neither is in the database yet, and the
    database constraint (a conditional one) is not checked across the rows of a formset."""

    def clean(self) -> None:
        super().clean()
        seen: set[tuple[str, str]] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("number") or data.get("DELETE"):
                continue
            key = (data["kind"], data["number"].upper())
            if key in seen:
                label = models.QualificationKind(data["kind"]).label
                raise forms.ValidationError(f"{label} {data['number']} 在本页填写了两次，请核对编号")
            seen.add(key)


class QualificationInline(ExamAdminPermissions, admin.TabularInline):  # type: ignore[misc]
    model = models.Qualification
    form = QualificationForm
    formset = QualificationFormSet
    fields = ["kind", "number", "obtained_on", "expires_on", "issuer", "note"]
    extra = 0


@admin.register(models.Qualification)
class QualificationAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = QualificationForm
    list_display = ["profile", "kind", "number", "obtained_on", "expires_on", "issuer"]
    list_select_related = ["profile__user"]
    list_filter = ["kind", "profile__department"]
    search_fields = [
        "number",
        "profile__user__username",
        "profile__user__display_name",
        "profile__department",
    ]
    raw_id_fields = ["profile"]
    readonly_fields = ["recorded_by", "recorded_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
