"""Forms for the enterprise pages (profile, subscription) and the admin Excel upload."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from fazhi.core import credit_code
from fazhi.core.errors import DomainError
from fazhi.core.limits import MaxChars
from fazhi.policies import excel, extract, matching, services, sizing
from fazhi.policies.models import EnterpriseProfile


class WidthTolerantDateField(forms.DateField):
    """A date typed with a Chinese input method (２０２０-０２-０５, 2020／2／5) reads as the same date."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)


def industry_choices() -> list[tuple[str, str]]:
    return [("", "请选择")] + [(k, v.name) for k, v in sizing.industries().items()]


def section_choices() -> list[tuple[str, str]]:
    return [("", "按划型行业推定")] + [(k, f"{k} {v}") for k, v in sizing.sections().items()]


def amount_field(label: str, model_field: str) -> forms.DecimalField:
    """A non-negative amount with the digits of the EnterpriseProfile field, and Chinese messages."""
    field = EnterpriseProfile._meta.get_field(model_field)
    assert isinstance(field, models.DecimalField)
    places = field.decimal_places
    limit = Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)
    too_big = f"{label}须为不超过 {limit} 的数。"
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=field.max_digits,
        decimal_places=places,
        error_messages={
            "invalid": f"{label}须为数字。",
            "min_value": f"{label}不能为负数。",
            "max_digits": too_big,
            "max_whole_digits": too_big,
            "max_decimal_places": f"{label}最多保留{places}位小数。",
        },
    )


class ProfileForm(forms.Form):
    name = forms.CharField(
        label="企业名称",
        validators=[MaxChars("企业名称", 200)],
        error_messages={"required": "请填写企业名称。"},
    )
    # Up to 40 typed: a code pasted with spaces or hyphens (9111 0105 …) is normalised by the service to 18.
    credit_code = forms.CharField(label="统一社会信用代码", max_length=40, required=False)
    industry = forms.ChoiceField(
        label="所属行业（划型行业）",
        choices=industry_choices,
        error_messages={"required": "请选择所属行业。", "invalid_choice": "请从列表中选择所属行业。"},
    )
    industry_section = forms.ChoiceField(label="行业门类", choices=section_choices, required=False)
    region = forms.CharField(label="所在地区", max_length=100, required=False, help_text="如：北京市朝阳区")
    # type=date inputs only understand ISO dates; without a format the zh-hans locale renders 2023/12/06.
    established_on = WidthTolerantDateField(
        label="成立日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "成立日期不是有效日期，请写成 2020-02-05。"},
    )
    employees = forms.IntegerField(
        label="从业人员（人）",
        min_value=0,
        max_value=services.MAX_EMPLOYEES,
        required=False,
        error_messages={
            "invalid": "从业人员须为整数。",
            "min_value": f"从业人员须为 0 到 {services.MAX_EMPLOYEES} 之间的整数。",
            "max_value": f"从业人员须为 0 到 {services.MAX_EMPLOYEES} 之间的整数。",
        },
    )
    revenue = amount_field("上年营业收入（万元）", "revenue")
    total_assets = amount_field("资产总额（万元）", "total_assets")
    tags = forms.MultipleChoiceField(
        label="企业标签",
        required=False,
        choices=[(t, t) for t in services.KNOWN_TAGS],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_region(self) -> str:
        """An incomplete place name is the field's error too (the service checks it again)."""
        region = matching.canonical_region(self.cleaned_data.get("region") or "")
        if problem := matching.region_problem(region):
            raise forms.ValidationError(problem)
        return region

    def clean_established_on(self) -> Any:
        """A date the service would refuse is the field's error (marked aria-invalid), found with the others."""
        established = self.cleaned_data.get("established_on")
        if established and established > timezone.localdate():
            raise forms.ValidationError("成立日期不能晚于今天。")
        if established and established < services.EARLIEST_ESTABLISHED:
            raise forms.ValidationError(f"成立日期不能早于{services.EARLIEST_ESTABLISHED:%Y}年，请核对。")
        return established

    def clean(self) -> dict[str, Any]:
        """A 门类 outside the chosen size industry is the 门类 field's error."""
        cleaned = super().clean() or self.cleaned_data
        industry, section = cleaned.get("industry"), cleaned.get("industry_section")
        known = sizing.industries()
        if industry in known and section and section not in known[industry].sections:
            allowed = "、".join(f"{s} {sizing.sections()[s]}" for s in known[industry].sections)
            self.add_error("industry_section", f"行业门类“{section}”与所选划型行业不符，可选：{allowed}。")
        return cleaned

    def clean_credit_code(self) -> str:
        """A wrong check digit is the field's error (marked aria-invalid), not one for the whole form."""
        code = credit_code.normalize(self.cleaned_data.get("credit_code"))
        if code and (problem := credit_code.problem(code)):
            raise forms.ValidationError(problem)
        return code


class SubscriptionForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="主题",
        required=False,
        choices=[(label, label) for label, _ in extract.THEME_RULES],
        widget=forms.CheckboxSelectMultiple,
    )
    industries = forms.MultipleChoiceField(
        label="行业",
        required=False,
        choices=lambda: [(k, v) for k, v in sizing.sections().items()],
        widget=forms.CheckboxSelectMultiple,
    )
    match_profile = forms.BooleanField(label="推送与我的企业画像匹配的新政策", required=False)
    # The page's note beside the box (which address the mail goes to, where to change it) is read with it.
    email = forms.BooleanField(
        label="同时发送电子邮件",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_email_note"}),
    )


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx，按模板填写）")

    def clean_file(self) -> Any:
        """A file that is not a filled template is refused here; its rows are checked by the import job."""
        upload = self.cleaned_data["file"]
        try:
            excel.check_file(upload.read(), upload.name or "")
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
        upload.seek(0)
        return upload
