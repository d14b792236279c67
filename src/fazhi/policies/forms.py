"""Forms for the enterprise pages (profile, subscription) and the admin Excel upload."""

from __future__ import annotations

from django import forms

from fazhi.policies import extract, services, sizing


def industry_choices() -> list[tuple[str, str]]:
    return [("", "请选择")] + [(k, v.name) for k, v in sizing.industries().items()]


def section_choices() -> list[tuple[str, str]]:
    return [("", "按划型行业推定")] + [(k, f"{k} {v}") for k, v in sizing.sections().items()]


class ProfileForm(forms.Form):
    name = forms.CharField(label="企业名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    industry = forms.ChoiceField(label="所属行业（划型行业）", choices=industry_choices)
    industry_section = forms.ChoiceField(label="行业门类", choices=section_choices, required=False)
    region = forms.CharField(label="所在地区", max_length=100, required=False, help_text="如：北京市朝阳区")
    established_on = forms.DateField(
        label="成立日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employees = forms.IntegerField(label="从业人员（人）", min_value=0, required=False)
    revenue = forms.DecimalField(label="上年营业收入（万元）", min_value=0, required=False, decimal_places=2)
    total_assets = forms.DecimalField(label="资产总额（万元）", min_value=0, required=False, decimal_places=2)
    tags = forms.MultipleChoiceField(
        label="企业标签",
        required=False,
        choices=[(t, t) for t in services.KNOWN_TAGS],
        widget=forms.CheckboxSelectMultiple,
    )


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
    email = forms.BooleanField(label="同时发送电子邮件", required=False, initial=True)


class ExcelUploadForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx，按模板填写）")
