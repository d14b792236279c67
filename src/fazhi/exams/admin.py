"""学法考试 admin (zh-hans): question bank, exams, competitions, staff registry, certificates, training."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from fazhi.core.errors import ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.exams import models, selectors
from fazhi.exams.services import attempts, bank, certificates, papers, prerequisites, retraining

# Who maintains the question bank, exams, competitions, the staff registry, certificates and training
# records in the admin (a superuser holds every role). Role-based, as in cases and laws: the groups carry
# no Django model permissions.
EXAM_ADMIN_ROLES = selectors.ADMIN_ROLES


def _exam_admin(request: HttpRequest) -> bool:
    return has_role(request.user, *EXAM_ADMIN_ROLES)


class ExamAdminPermissions:
    """考试管理员 (and the system administrator) view, add, change and delete these records."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _exam_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _exam_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request)


class EvidencePermissions(ExamAdminPermissions):
    """What candidates did (attempts, competition entries): shown, never added, edited or deleted by hand.

    An invented entry would enter the leaderboard, and a deleted attempt would let the candidate start
    the same paper again. Because nobody may delete these rows, the admin also refuses to delete an
    exam or a competition (round) that already has them.
    """

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _question_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The form fields bank.clean_question checks (links such as law and articles are model objects here)."""
    keys = ("type", "stem", "options", "answer", "explanation", "difficulty", "source")
    return {k: data.get(k) for k in keys}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = models.Question
        fields = [
            "type", "stem", "options", "answer", "explanation", "difficulty", "knowledge_points",
            "law", "articles", "parent", "position", "source", "is_active",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("type") and data.get("type") != models.QuestionType.CASE:
            try:
                cleaned = bank.clean_question(_question_fields(data), allow_case=True)
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from None
            data["options"], data["answer"] = cleaned["options"], cleaned["answer"]
        fp = models.bank.fingerprint(data.get("stem") or "", data.get("options") or {})
        dup = models.Question.objects.filter(parent__isnull=True, fingerprint=fp).exclude(pk=self.instance.pk)
        if not data.get("parent") and dup.exists():
            raise forms.ValidationError("题库中已有相同的试题（题干和选项相同）")
        return data


class SubQuestionForm(forms.ModelForm):
    """A case's sub-question, checked by the same rules as an imported one (bank.clean_question)."""

    class Meta:
        model = models.Question
        fields = ["type", "position", "stem", "options", "answer", "explanation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            cleaned = bank.clean_question(_question_fields(data), allow_case=False)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        data["options"], data["answer"] = cleaned["options"], cleaned["answer"]
        return data


class SubQuestionInline(ExamAdminPermissions, admin.StackedInline):  # type: ignore[misc]
    model = models.Question
    form = SubQuestionForm
    fk_name = "parent"
    extra = 0
    fields = ["type", "position", "stem", "options", "answer", "explanation"]
    verbose_name = "小题"
    verbose_name_plural = "案例小题"


@admin.register(models.Question)
class QuestionAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = QuestionForm
    list_display = ["id", "type", "short_stem", "difficulty", "source", "is_active"]
    list_filter = ["type", "is_active", "difficulty", "knowledge_points"]
    search_fields = ["stem", "source"]
    filter_horizontal = ["knowledge_points"]
    raw_id_fields = ["law", "articles", "parent"]
    inlines = [SubQuestionInline]

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(parent__isnull=True)

    @admin.display(description="题干")
    def short_stem(self, obj: models.Question) -> str:
        return obj.stem[:60]


@admin.register(models.KnowledgePoint)
class KnowledgePointAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    search_fields = ["name"]


class ExamForm(forms.ModelForm):
    class Meta:
        model = models.Exam
        fields = [
            "title", "description", "blueprint", "partial_credit", "time_limit_minutes", "pass_mark",
            "opens_at", "closes_at", "open_to_staff", "eligible_users", "is_published", "created_by",
            "certification_stage", "prerequisite",
        ]  # fmt: skip

    def clean_blueprint(self) -> list[dict[str, Any]]:
        try:
            rows = papers.validate_blueprint(self.cleaned_data.get("blueprint"))
            papers.check_blueprint_feasible(rows)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return rows

    def clean_prerequisite(self) -> Any:
        prerequisite = self.cleaned_data.get("prerequisite")
        try:
            prerequisites.check_prerequisite(exam=self.instance, prerequisite=prerequisite)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return prerequisite

    def clean(self) -> dict[str, Any]:
        """The same settings rules as attempts.create_exam (window, time limit, pass mark, candidates)."""
        data = super().clean() or {}
        needed = ("blueprint", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "partial_credit")
        if any(data.get(name) in (None, "") for name in needed):
            return data  # the field itself already reports what is missing or wrong
        try:
            attempts.check_exam_settings(
                rows=data["blueprint"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                time_limit_minutes=data["time_limit_minutes"],
                pass_mark=data["pass_mark"],
                partial_credit=data["partial_credit"],
                open_to_staff=bool(data.get("open_to_staff")),
                has_candidates=bool(data.get("eligible_users")),
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.Exam)
class ExamAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = ExamForm
    list_display = [
        "title", "opens_at", "closes_at", "time_limit_minutes", "pass_mark", "certification_stage",
        "prerequisite", "is_published",
    ]  # fmt: skip
    list_select_related = ["prerequisite"]
    list_filter = ["certification_stage", "is_published"]
    filter_horizontal = ["eligible_users"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]  # not a drop-down of every account


@admin.register(models.Attempt)
class AttemptAdmin(EvidencePermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["exam", "user", "started_at", "submitted_at", "score", "passed", "auto_submitted"]
    list_select_related = ["exam", "user"]
    list_filter = ["exam", "passed", "auto_submitted"]
    search_fields = ["user__username", "user__display_name"]
    readonly_fields = [f.name for f in models.Attempt._meta.fields]


class RoundInline(ExamAdminPermissions, admin.TabularInline):  # type: ignore[misc]
    model = models.CompetitionRound
    extra = 1


@admin.register(models.Competition)
class CompetitionAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["title", "audience", "question_count", "time_limit_seconds", "is_published"]
    inlines = [RoundInline]


class RoundFilter(admin.SimpleListFilter):
    """轮次 filter whose choices are read with their competitions in one query (the default filter reads
    each round's competition separately to label it)."""

    title = "轮次"
    parameter_name = "round"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        rounds = models.CompetitionRound.objects.select_related("competition").order_by(
            "competition", "number"
        )
        return [(str(r.pk), str(r)) for r in rounds]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(round_id=value) if value and value.isdigit() else queryset


@admin.register(models.CompetitionEntry)
class CompetitionEntryAdmin(EvidencePermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["round", "user", "correct_count", "duration_seconds", "scored", "finished_at"]
    list_select_related = ["round__competition", "user"]  # a round is shown with its competition's title
    list_filter = [RoundFilter, "scored"]


@admin.register(models.StaffProfile)
class StaffProfileAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ["user", "department", "post", "enforcement_post", "post_since", "is_active"]
    list_select_related = ["user"]
    list_filter = ["department", "enforcement_post", "is_active"]
    search_fields = ["user__username", "user__display_name", "department"]
    raw_id_fields = ["user"]


class CertificateForm(forms.ModelForm):
    """执法证. A status change follows the rules of certificates.set_status: a date, and a reason for
    暂扣/注销 (the date decides from which month 执法人员占比 counts the holder differently)."""

    status_reason = forms.CharField(
        label="状态变更原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="改为暂扣或注销时必填，记入审计日志。",
    )

    class Meta:
        model = models.EnforcementCertificate
        fields = [
            "holder",
            "number",
            "issued_on",
            "expires_on",
            "status",
            "status_changed_on",
            "issuer",
            "note",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expires = self.fields["expires_on"]
        expires.required = False
        rule = certificates.certificate_rule()
        expires.help_text = (
            f"留空则按执法证规则填写：发证之日起 {rule.validity_years} 年（有效期至满该年数的前一日）。"
        )

    def status_changing(self) -> bool:
        if self.instance.pk is None:
            return self.cleaned_data.get("status") != models.CertificateStatus.VALID or bool(
                self.cleaned_data.get("status_changed_on")
            )
        return bool({"status", "status_changed_on"} & set(self.changed_data))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issued, expires = data.get("issued_on"), data.get("expires_on")
        self.expiry_rule = ""
        if issued and not expires and "expires_on" not in self.errors:
            # No expiry typed: the certificate rule sets it, and the administrator is told which rule fired.
            data["expires_on"] = expires = certificates.default_expiry(issued)
            self.instance.expires_on = expires
            self.expiry_rule = certificates.expiry_explanation(issued)
        if issued and expires:
            try:
                certificates.check_dates(issued_on=issued, expires_on=expires)
            except ValidationFailed as exc:
                self.add_error("expires_on", exc.message)
        if data.get("status") and self.status_changing():
            on = data.get("status_changed_on")
            if on is None:
                self.add_error("status_changed_on", "状态变更时须填写状态变更日期（自该日起按新状态统计）。")
                return data
            try:
                certificates.check_status_change(
                    status=data["status"], on=on, comment=data.get("status_reason") or "", issued_on=issued
                )
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.EnforcementCertificate)
class EnforcementCertificateAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = CertificateForm
    readonly_fields = ["status_history"]
    list_display = ["number", "holder", "issued_on", "expires_on", "status", "status_changed_on"]
    list_select_related = ["holder"]
    list_filter = ["status"]
    search_fields = ["number", "holder__username", "holder__display_name"]
    raw_id_fields = ["holder"]

    @admin.display(description="状态变更记录")
    def status_history(self, obj: Any) -> str:
        """The history, read-only: an entry is added by changing 状态 and 状态变更日期 above."""
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (c.effective_on.isoformat(), c.get_status_display(), c.reason or "—", str(c.recorded_by or "—"))
            for c in obj.status_changes.select_related("recorded_by").order_by("effective_on", "pk")
        ]
        if not rows:
            return "自发证之日起有效，无变更记录"
        return format_html(
            "<table><thead><tr><th>生效日期</th><th>状态</th><th>原因</th><th>登记人</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Other fields save as usual; a status change goes through certificates.set_status (audited)."""
        if getattr(form, "expiry_rule", ""):
            messages.info(request, form.expiry_rule)
        if not form.status_changing():
            super().save_model(request, obj, form, change)
            return
        status, on = obj.status, obj.status_changed_on
        old = models.EnforcementCertificate.objects.filter(pk=obj.pk).first() if change else None
        obj.status = old.status if old else models.CertificateStatus.VALID
        obj.status_changed_on = old.status_changed_on if old else None
        super().save_model(request, obj, form, change)
        certificates.set_status(
            certificate=obj,
            status=status,
            on=on,
            comment=form.cleaned_data.get("status_reason") or "",
            by=request.user,
        )


@admin.register(models.CertificateRule)
class CertificateRuleAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    """执法证规则: one row, corrected here; it is never deleted (without it the shipped default applies)."""

    list_display = ["__str__", "source", "updated_at"]
    fields = ["validity_years", "source", "note"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _exam_admin(request) and not models.CertificateRule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TrainingForm(forms.ModelForm):
    """培训记录. A retraining result is checked by the rules of retraining.record_training and, once saved,
    suspends or restores the person's certificates; a recorded result is not edited afterwards."""

    class Meta:
        model = models.TrainingRecord
        fields = ["user", "date", "hours", "topic", "organizer", "kind", "result"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        record = self.instance if self.instance.pk else None
        # Once a result is recorded, the person, date, type and result are read-only (not in the form).
        locked = record is not None and bool(record.result)
        try:
            data["hours"] = retraining.check_training(
                user=record.user if locked and record else data.get("user"),
                date=record.date if locked and record else data.get("date"),
                hours=data.get("hours"),
                topic=data.get("topic") or "",
                kind=record.kind if locked and record else data.get("kind") or "",
                result="" if locked else data.get("result") or "",
                record=record,
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(ExamAdminPermissions, admin.ModelAdmin):  # type: ignore[misc]
    form = TrainingForm
    list_display = ["date", "user", "topic", "hours", "kind", "result", "organizer"]
    list_select_related = ["user"]
    list_filter = ["kind", "result"]
    search_fields = ["topic", "user__username", "user__display_name"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A recorded result suspended or restored certificates: it stays as recorded (enter a new record).
        if obj is not None and obj.result:
            return ["user", "date", "kind", "result"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _exam_admin(request) and not (obj is not None and obj.result)

    def get_actions(self, request: HttpRequest) -> Any:
        # Bulk delete would skip the per-record check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A new record, or a result added to a retraining, goes through the retraining service."""
        result = form.cleaned_data.get("result") or ""
        if not change:
            outcome = retraining.record_training(
                user=obj.user, date=obj.date, hours=obj.hours, topic=obj.topic, organizer=obj.organizer,
                kind=obj.kind, result=result, by=request.user,
            )  # fmt: skip
            obj.pk = outcome.record.pk
        elif "result" in form.changed_data and result:
            obj.result = ""
            super().save_model(request, obj, form, change)
            outcome = retraining.set_result(record=obj, result=result, by=request.user)
        else:
            super().save_model(request, obj, form, change)
            return
        for line in outcome.messages():
            messages.info(request, line)
