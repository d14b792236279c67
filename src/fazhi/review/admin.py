"""合法性审查 admin: the clerks correct time limits (the holiday list is core 节假日安排); records are read-mostly."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fazhi.core.limits import TextLimitsAdmin
from fazhi.review import opinions, services
from fazhi.review.models import (
    DocTypeRule,
    Draft,
    DraftVersion,
    FairCompetitionReview,
    IssuedDocument,
    OpinionFinding,
    PrecheckFinding,
    ProcedureRecord,
    ReviewOpinion,
    Transition,
    ValidityEvaluation,
)
from fazhi.review.services import procedures


@admin.register(DocTypeRule)
class DocTypeRuleAdmin(admin.ModelAdmin):
    list_display = (
        "doc_type", "review_days", "validity_years", "filing_days", "filing_rolls_forward", "numbering_required",
        "review_required", "note",
    )  # fmt: skip
    list_editable = (
        "review_days",
        "validity_years",
        "filing_days",
        "filing_rolls_forward",
        "numbering_required",
        "review_required",
    )


class VersionInline(admin.TabularInline):
    model = DraftVersion
    extra = 0
    fields = ("number", "original_name", "kind", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[DraftVersion]:
        # Each row is labelled with str(version), which names the draft.
        return super().get_queryset(request).select_related("uploaded_by", "draft")


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    fields = ("at", "actor", "action", "from_state", "to_state", "comment")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transition]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    """State changes go through the workflow (pages/API), never through the admin."""

    list_display = ("title", "doc_type", "unit", "state", "review_deadline", "outcome", "created_at")
    list_filter = ("state", "doc_type", "is_normative", "is_major")
    search_fields = ("title", "unit", "doc_number")
    readonly_fields = (
        "state",
        "drafter",
        "reviewer",
        "submitted_at",
        "round_submitted_at",
        "review_deadline",
        "review_days_used",
        "late_rounds",
        "returned_version",
        "decided_at",
        "outcome",
        "published_on",
        "effective_on",
        # 发文字号 and 签发人 are given with the publication and corrected, with a reason, on the draft page
        # (services.correct_publication), both checked there and recorded in the history.
        "doc_number",
        "signed_by",
        "filing_deadline",
        "filed_on",
        "valid_until",
        "expired_on",
        "affects_market",  # set by the drafter's 公平竞争审查 conclusion, which publication depends on
        "law_version",  # set by publication (fazhi.review.library)
        "library_error",
    )
    inlines = [VersionInline, TransitionInline]


class OpinionFindingInline(admin.TabularInline):
    model = OpinionFinding
    extra = 0
    fields = ("seq", "paragraph", "text", "resolution")
    readonly_fields = ("seq", "paragraph", "text", "resolution")


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(TextLimitsAdmin, admin.ModelAdmin):
    list_display = ("doc_number", "draft", "conclusion", "reviewer", "signed_by", "issued_at")
    text_limits = {"conclusion_text": ("结论意见", opinions.MAX_TEXT)}  # as set_conclusion_text
    list_select_related = ("draft", "reviewer", "signed_by")
    search_fields = ("doc_number", "draft__title")
    readonly_fields = (
        "draft",
        "version",
        "reviewer",
        "signed_by",
        "doc_number",
        "conclusion",
        "issued_at",
        "document_link",
    )
    exclude = ("document",)
    inlines = [OpinionFindingInline]

    @admin.display(description="意见书文件")
    def document_link(self, obj: ReviewOpinion) -> str:
        # Uploads are not served under /media/: the draft page's download checks who may read it.
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}">下载审查意见书</a>', reverse("review:opinion_docx", args=[obj.draft_id])
        )


@admin.register(PrecheckFinding)
class PrecheckFindingAdmin(admin.ModelAdmin):
    list_display = ("version", "rule_id", "severity", "paragraph", "decision")
    list_select_related = ("version__draft",)  # a version is shown with its draft's title
    list_filter = ("family", "severity", "decision")
    readonly_fields = [f.name for f in PrecheckFinding._meta.fields]


@admin.register(ProcedureRecord)
class ProcedureRecordAdmin(TextLimitsAdmin, admin.ModelAdmin):
    list_display = ("draft", "step", "date", "recorded_by")
    text_limits = {"summary": ("情况说明", procedures.MAX_SUMMARY)}  # as add_procedure
    list_select_related = ("draft", "recorded_by")
    list_filter = ("step",)
    # Every draft and every account would otherwise be rendered into two drop-down lists.
    raw_id_fields = ("draft", "recorded_by")

    # The pre-check sees the recorded steps (a 征求意见 record satisfies FORM-CONSULT): it follows a change here.
    def save_model(self, request: HttpRequest, obj: ProcedureRecord, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or {"draft", "step"} & set(form.changed_data):
            earlier: Any = form.initial.get("draft") if change else None
            services.procedures_changed([obj.draft_id, getattr(earlier, "pk", earlier)])

    def delete_model(self, request: HttpRequest, obj: ProcedureRecord) -> None:
        draft_id = obj.draft_id
        super().delete_model(request, obj)
        services.procedures_changed([draft_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProcedureRecord]) -> None:
        draft_ids = list(queryset.values_list("draft_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        services.procedures_changed(draft_ids)


@admin.register(ValidityEvaluation)
class ValidityEvaluationAdmin(admin.ModelAdmin):
    """Read only: an evaluation moves a document's validity or expires it, so it is made on the draft page."""

    list_display = (
        "draft",
        "outcome",
        "evaluated_on",
        "valid_until_before",
        "valid_until_after",
        "recorded_by",
    )
    list_select_related = ("draft", "recorded_by")
    list_filter = ("outcome",)
    readonly_fields = [f.name for f in ValidityEvaluation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(FairCompetitionReview)
class FairCompetitionReviewAdmin(admin.ModelAdmin):
    """Read only: the drafter records the review on the draft page, where it decides whether it may be issued."""

    list_display = ("draft", "version_number", "conclusion", "exception_ground", "ends_on", "reviewed_on")
    list_select_related = ("draft",)
    list_filter = ("conclusion", "exception_ground")
    readonly_fields = [f.name for f in FairCompetitionReview._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read only but for deletion (a mistaken entry; the audit chain keeps it): entries are written on the
    发文登记簿 pages, by the API or by import, where every write is checked."""

    list_display = (
        "doc_number",
        "title",
        "unit",
        "issued_on",
        "doc_type",
        "draft",
        "exempt_reason",
        "source",
    )
    list_select_related = ("draft",)
    list_filter = ("doc_type", "source")
    search_fields = ("doc_number", "title", "unit")
    date_hierarchy = "issued_on"
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
