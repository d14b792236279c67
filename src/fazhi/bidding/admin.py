"""远程异地评标 admin: clerks correct rules, sites, pools and experts (holidays: core 节假日安排); records are read-only."""

from typing import Any

from django import forms
from django.contrib import admin

from fazhi.bidding.models import (
    AvArchive,
    Bidder,
    Committee,
    CommitteeMember,
    Correction,
    Criterion,
    Draw,
    DrawQuota,
    Expert,
    ExpertPool,
    ExpertRelation,
    Handover,
    IdentityCheck,
    Incident,
    Project,
    Rule,
    ScoreSheet,
    Site,
)
from fazhi.bidding.services.sizing_check import check_industry, declared_figures, industry_choices
from fazhi.core import credit_code
from fazhi.core.errors import DomainError
from fazhi.core.limits import TextLimitsAdmin

RULE_NOTE_LIMIT = 1000  # 说明 of a 评标规则参数 (Rule.note, a TextField written here): refused beyond it


class ExpertRelationForm(forms.ModelForm):
    class Meta:
        model = ExpertRelation
        fields = "__all__"  # noqa: DJ007 — the inline shows every column of the relation

    def clean_credit_code(self) -> str:
        code = credit_code.normalize(self.cleaned_data.get("credit_code"))
        if code and (problem := credit_code.problem(code)):
            raise forms.ValidationError(problem)
        return code


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evaluation records change only through the services (draws, signatures are evidence)."""

    def has_add_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ANN001, ANN201
        return False


@admin.register(Rule)
class RuleAdmin(TextLimitsAdmin, admin.ModelAdmin):
    list_display = ("title", "key", "value", "source")
    search_fields = ("title", "key", "source")
    text_limits = {"note": ("说明", RULE_NOTE_LIMIT)}


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    search_fields = ("name", "region")


@admin.register(ExpertPool)
class ExpertPoolAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "site")
    list_select_related = ("site",)


class ExpertRelationInline(admin.TabularInline):
    model = ExpertRelation
    form = ExpertRelationForm
    extra = 0


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_id", "pool", "employer", "active")
    list_select_related = ("pool",)
    list_filter = ("pool", "active")
    search_fields = ("name", "employer")
    inlines = [ExpertRelationInline]
    raw_id_fields = ("user",)

    @admin.display(description="身份证号")
    def masked_id(self, obj: Expert) -> str:
        return obj.masked_id


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class DrawQuotaInline(admin.TabularInline):
    model = DrawQuota
    extra = 0


class BidderForm(forms.ModelForm):
    """A bidder edited in the admin passes the checks of add_bidder on its 声明函 figures."""

    class Meta:
        model = Bidder
        fields = "__all__"  # noqa: DJ007 — the inline shows every column of the bid

    def clean(self) -> dict:
        data = super().clean() or {}
        project = getattr(self.instance, "project", None)  # the project being edited (set by the inline)
        try:
            declared_figures(
                industry=getattr(project, "sme_industry", "") or "",
                sme_declaration=bool(data.get("sme_declaration")),
                sme_size=data.get("sme_size") or "",
                employees=data.get("declared_employees"),
                revenue=data.get("declared_revenue"),
                assets=data.get("declared_assets"),
            )
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


class BidderInline(admin.TabularInline):
    model = Bidder
    form = BidderForm
    extra = 0


class ProjectForm(forms.ModelForm):
    """The 采购标的所属行业 is picked from the 16 industries of the 300号 table."""

    # A select, checked by the service's rule (check_industry) rather than the choice list, so that a key the
    # table no longer has gets the same message as in the API.
    sme_industry = forms.CharField(
        label=Project._meta.get_field("sme_industry").verbose_name,
        help_text=Project._meta.get_field("sme_industry").help_text,
        required=False,
        widget=forms.Select,
    )

    class Meta:
        model = Project
        fields = "__all__"  # noqa: DJ007 — the admin edits every column not made read-only below

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sme_industry"].widget.choices = [("", "不设置（不核验规模声明）"), *industry_choices()]

    def clean_sme_industry(self) -> str:
        try:
            return check_industry(self.cleaned_data.get("sme_industry"))
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    list_display = ("code", "name", "purchaser", "budget", "status", "evaluation_start")
    list_filter = ("status", "category", "evaluation_method")
    search_fields = ("code", "name", "purchaser")
    inlines = [CriterionInline, DrawQuotaInline, BidderInline]
    readonly_fields = (
        "status",
        "evaluation_finished_at",
        "report_submitted_at",
        "winner_confirmed_at",
        "winner",
        "contract_signed_on",
        "contract_published_on",
    )
    raw_id_fields = ("purchaser_user", "created_by")


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ("project", "number", "active", "formed_at", "superseded_reason")
    list_select_related = ("project",)


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ("committee", "seat", "kind", "site", "specialty", "active")
    list_select_related = ("committee__project", "site", "expert")


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdmin):
    list_display = ("committee", "kind", "seed", "created_at")
    list_select_related = ("committee__project",)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    list_display = ("member", "site", "signed_at", "signed_username", "sign_hash")
    list_select_related = ("member__expert", "site")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("project", "site", "started_at", "ended_at", "description")
    list_select_related = ("project", "site")


@admin.register(IdentityCheck)
class IdentityCheckAdmin(ReadOnlyAdmin):
    list_display = ("member", "site", "method", "result", "checked_at", "checked_by", "note")
    list_select_related = ("member__committee__project", "member__expert", "site", "checked_by")
    list_filter = ("result", "method")


@admin.register(AvArchive)
class AvArchiveAdmin(ReadOnlyAdmin):
    list_display = ("project", "site", "reference", "started_at", "ended_at", "recorded_by")
    list_select_related = ("project", "site", "recorded_by")


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("project", "site", "handed_over_on", "recorded_by", "recorded_at")
    list_select_related = ("project", "site", "recorded_by")


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ("project", "subject", "site", "reason", "corrected_by", "corrected_at", "audit_seq")
    list_select_related = ("project", "site", "corrected_by")
    list_filter = ("subject",)
