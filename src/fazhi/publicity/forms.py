"""Editor forms for the 普法专栏 pages (validation of the rules happens in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from fazhi.core import uploads
from fazhi.publicity.captions import check_captions
from fazhi.publicity.models import ActivityForm as ActivityFormChoices
from fazhi.publicity.models import Campaign, PostKind, ResponsibilityItem
from fazhi.publicity.services.posts import MAX_TRANSCRIPT
from fazhi.publicity.services.responsibility import MAX_DESCRIPTION


class PostForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    kind = forms.ChoiceField(label="栏目", choices=PostKind.choices)
    summary = forms.CharField(label="摘要", max_length=300, required=False)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可使用 HTML 排版（段落、标题、列表、链接、图片）；脚本和事件属性会被自动清除。",
    )
    campaign = forms.ModelChoiceField(
        label="所属专题",
        queryset=Campaign.objects.filter(is_active=True),
        required=False,
        empty_label="（无）",
    )
    cover = forms.FileField(label="封面图片", required=False, help_text="JPEG/PNG/WebP，5 MB 以内")
    video = forms.FileField(
        label="视频文件", required=False, help_text="MP4 或 WebM；按文件内容检查类型和大小"
    )
    poster = forms.FileField(label="视频封面", required=False, help_text="微视频必填：播放前显示的图片")
    captions = forms.FileField(
        label="字幕文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
        help_text="WebVTT（.vtt）格式、UTF-8 编码、1 MB 以内：第一行为 WEBVTT，每条字幕有时间行"
        "（如 00:00:01.000 --> 00:00:04.000）。微视频须有字幕文件或文字稿才能发布（GB/T 37668-2019）",
    )
    transcript = forms.CharField(
        label="文字稿",
        required=False,
        max_length=MAX_TRANSCRIPT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="视频中讲述的全部内容（包括画面上的重要文字），供听不到或看不到视频的读者阅读，显示在视频下方",
    )

    def __init__(self, *args: Any, current_campaign: Campaign | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_campaign is not None and not current_campaign.is_active:
            # A post keeps its 专题 after the node is switched off: the current one stays selectable.
            field = self.fields["campaign"]
            field.queryset = Campaign.objects.filter(  # type: ignore[attr-defined]
                models.Q(is_active=True) | models.Q(pk=current_campaign.pk)
            )
            field.label_from_instance = lambda c: f"{c}（已停用）" if not c.is_active else str(c)  # type: ignore[attr-defined]

    def clean_captions(self) -> Any:
        # Checked here as well as in the service, so that the reason is shown next to the field.
        return uploads.in_form(check_captions, self.cleaned_data.get("captions"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that accepts several files (cleaned to a list)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ActivityForm(forms.Form):
    """普法活动登记: a department's staff record what they did for an item of their list."""

    item = forms.ModelChoiceField(
        label="对应清单事项",
        queryset=ResponsibilityItem.objects.none(),
        required=False,
        empty_label="（不对应清单事项）",
    )
    department = forms.CharField(
        label="组织部门", max_length=200, required=False, help_text="不选清单事项时填写"
    )
    title = forms.CharField(label="活动名称", max_length=200)
    date = forms.DateField(label="活动日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", max_length=200)
    form = forms.ChoiceField(label="形式", choices=ActivityFormChoices.choices)
    audience_count = forms.IntegerField(label="受众人数", min_value=0, initial=0)
    description = forms.CharField(
        label="活动情况", max_length=MAX_DESCRIPTION, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    campaign = forms.ModelChoiceField(
        label="所属专题",
        queryset=Campaign.objects.filter(is_active=True),
        required=False,
        empty_label="（无）",
    )
    photos = MultipleFileField(
        label="活动照片", required=False, help_text="可多选；JPEG/PNG/WebP，单张 5 MB 以内"
    )
    photo_alt = forms.CharField(label="照片说明", max_length=200, required=False, help_text="上传照片时必填")
    material = forms.FileField(
        label="活动材料", required=False, help_text="PDF、Word（.docx）、Excel（.xlsx）或图片"
    )
    material_title = forms.CharField(label="材料名称", max_length=200, required=False)
    mark_done = forms.BooleanField(label="该清单事项已全部完成", required=False)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        field.queryset = items  # type: ignore[attr-defined]
        field.label_from_instance = lambda i: f"{i.responsibility_list} · {i}"  # type: ignore[attr-defined]
