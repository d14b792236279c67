"""Forms for the administrator's law pages (paste/upload a law, correct a status)."""

from __future__ import annotations

from django import forms

from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import MaxChars
from fazhi.laws.models import Level, Status
from fazhi.laws.parsing import upload_text
from fazhi.laws.services import MAX_STATUS_BASIS, MAX_STATUS_REASON

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class AddLawForm(forms.Form):
    title = forms.CharField(
        label="标题",
        required=False,
        validators=[MaxChars("法规标题", 300)],
        help_text="留空时取全文第一行为标题",
    )
    level = forms.ChoiceField(label="效力级别", choices=Level.choices, initial=Level.DEPARTMENT_RULE)
    issuer = forms.CharField(label="制定机关", required=False, validators=[MaxChars("制定机关", 200)])
    region = forms.CharField(
        label="地区", required=False, validators=[MaxChars("地区", 50)], help_text="仅地方性法规填写"
    )
    status = forms.ChoiceField(label="效力状态", choices=Status.choices, initial=Status.IN_FORCE)
    status_basis = forms.CharField(
        label="状态依据",
        required=False,
        validators=[MaxChars("状态依据", MAX_STATUS_BASIS)],
        help_text="例如：财政部令第87号，自2017年10月1日起施行",
    )
    text = forms.CharField(
        label="粘贴全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text="每条以“第X条”开头；章节标题（第X章、第X节）单独成行",
    )
    upload = forms.FileField(label="或上传 .docx / .txt 文件", required=False)

    def clean(self) -> dict:
        """An uploaded file is read here, by its content, and becomes the text (the upload is then
        dropped), so the page and the service only ever see text; a file that cannot be read is an
        error on the upload field."""
        data = super().clean() or {}
        upload = data.get("upload")
        pasted = (data.get("text") or "").strip()
        if not pasted and not upload:
            raise forms.ValidationError("请粘贴法规全文或上传 .docx / .txt 文件。")
        if pasted and upload:
            raise forms.ValidationError(
                "粘贴全文和上传文件只能二选一：要录入文件的内容，请清空“粘贴全文”；要录入粘贴的文字，请不要选择文件。"
            )
        if upload:
            try:
                data["text"] = upload_text(upload.name, upload.read(), max_bytes=MAX_UPLOAD_BYTES)
            except ValidationFailed as exc:
                self.add_error("upload", exc.message)
            else:
                data["upload"] = None
        return data


class CorrectStatusForm(forms.Form):
    status = forms.ChoiceField(label="效力状态", choices=Status.choices)
    basis = forms.CharField(
        label="状态依据",
        required=False,
        validators=[MaxChars("状态依据", MAX_STATUS_BASIS)],
        help_text="展示给用户的依据；留空时使用更正理由",
    )
    reason = forms.CharField(
        label="更正理由",
        validators=[MaxChars("更正理由", MAX_STATUS_REASON)],
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="必填，记入审计日志（例如所依据的废止决定、公告文号）",
    )
