"""普法 admin: posts, campaign calendar, responsibility lists and activity records."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse

from fazhi.cases.admin import EditorPermissions
from fazhi.core import uploads
from fazhi.core.admin_mixins import BulkTransitionMixin, CheckedFileInput
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import TextLimitsAdmin
from fazhi.publicity import services
from fazhi.publicity.captions import check_captions
from fazhi.publicity.models import (
    Activity,
    ActivityMaterial,
    ActivityPhoto,
    Campaign,
    Post,
    PostImage,
    PostStatus,
    ResponsibilityItem,
    ResponsibilityList,
)
from fazhi.publicity.services import responsibility
from fazhi.publicity.services.common import _text


class CheckedFilesForm(forms.ModelForm):
    """A model form whose stored files link to the checked media view: {field name: media kind}."""

    media_kinds: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, kind in self.media_kinds.items():
            if field in self.fields:
                widget = CheckedFileInput()
                if self.instance.pk:
                    widget.checked_url = reverse("publicity:media", args=[kind, self.instance.pk])
                self.fields[field].widget = widget


class PostAdminForm(CheckedFilesForm):
    media_kinds = {"cover": "cover", "video": "video", "poster": "poster", "captions": "captions"}

    class Meta:
        model = Post
        fields = (
            "title",
            "kind",
            "summary",
            "body",
            "cover",
            "video",
            "poster",
            "captions",
            "transcript",
            "campaign",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if self.instance.pk and self.instance.status == PostStatus.PUBLISHED:
            edited = SimpleNamespace(
                kind=cleaned.get("kind", self.instance.kind),
                body=cleaned.get("body", self.instance.body),
                video=cleaned.get("video", self.instance.video),
                poster=cleaned.get("poster", self.instance.poster),
                captions=cleaned.get("captions", self.instance.captions),
                transcript=cleaned.get("transcript", self.instance.transcript),
            )
            problem = services.published_edit_problem(edited)
            if problem:
                raise forms.ValidationError(problem)
        return cleaned

    def clean_cover(self) -> Any:
        return uploads.in_form(uploads.check_image, self.cleaned_data.get("cover"), label="封面图片")

    def clean_poster(self) -> Any:
        return uploads.in_form(uploads.check_image, self.cleaned_data.get("poster"), label="视频封面")

    def clean_captions(self) -> Any:
        return uploads.in_form(check_captions, self.cleaned_data.get("captions"))

    def clean_transcript(self) -> str:
        # The service's rule (save_post), shown at the field.
        try:
            return _text(self.cleaned_data.get("transcript"), "文字稿", services.MAX_TRANSCRIPT)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_video(self) -> Any:
        video = self.cleaned_data.get("video")
        if video and hasattr(video, "content_type"):
            try:
                self.instance.video_type = uploads.check_video(video)
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.message) from exc
        return video


class ImageForm(CheckedFilesForm):
    media_kinds = {"file": "image"}

    def clean_file(self) -> Any:
        return uploads.in_form(uploads.check_image, self.cleaned_data.get("file"))


class PhotoForm(ImageForm):
    media_kinds = {"file": "photo"}


class PostImageInline(EditorPermissions, admin.TabularInline):  # type: ignore[misc]
    model = PostImage
    form = ImageForm
    extra = 1


@admin.register(Post)
class PostAdmin(TextLimitsAdmin, BulkTransitionMixin, EditorPermissions, admin.ModelAdmin):  # type: ignore[misc]
    transition_arg = "post_id"
    transition_noun = "篇文章"
    form = PostAdminForm
    text_limits = {"body": ("正文", services.MAX_BODY)}  # as save_post
    inlines = [PostImageInline]
    list_display = ("title", "kind", "status", "published_at", "campaign")
    list_filter = ("kind", "status", "campaign")
    search_fields = ("title", "summary")

    actions = ["publish", "unpublish"]

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        if not change:
            obj.author = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description="发布所选文章")
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        self._transition(request, queryset, services.publish_post, "发布")

    @admin.action(description="撤回所选文章为草稿")
    def unpublish(self, request: HttpRequest, queryset: Any) -> None:
        self._transition(request, queryset, services.unpublish_post, "撤回")


# 简介 of a 宣传节点 (Campaign.description, a TextField written only in the admin and by the start-up data):
# a few sentences with their source, shown on the campaign's page.
CAMPAIGN_DESCRIPTION_LIMIT = 1000


@admin.register(Campaign)
class CampaignAdmin(TextLimitsAdmin, EditorPermissions, admin.ModelAdmin):  # type: ignore[misc]
    text_limits = {"description": ("简介", CAMPAIGN_DESCRIPTION_LIMIT)}
    list_display = ("name", "when", "theme", "responsible_department", "is_active")
    filter_horizontal = ("cases",)

    @admin.display(description="日期", ordering="month")
    def when(self, obj: Campaign) -> str:
        return obj.when_label


class ItemInline(EditorPermissions, admin.TabularInline):  # type: ignore[misc]
    model = ResponsibilityItem
    raw_id_fields = ("law",)
    extra = 1


@admin.register(ResponsibilityList)
class ResponsibilityListAdmin(TextLimitsAdmin, EditorPermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("year", "department")
    text_limits = {"note": ("说明", responsibility.MAX_LIST_NOTE)}
    list_filter = ("year",)
    inlines = [ItemInline]


class PhotoInline(EditorPermissions, admin.TabularInline):  # type: ignore[misc]
    model = ActivityPhoto
    form = PhotoForm
    extra = 1


class MaterialForm(CheckedFilesForm):
    media_kinds = {"file": "material"}
    url = forms.URLField(label="链接", max_length=500, required=False, assume_scheme="https")

    def clean_file(self) -> Any:
        return uploads.in_form(uploads.check_material, self.cleaned_data.get("file"))


class MaterialInline(EditorPermissions, admin.TabularInline):  # type: ignore[misc]
    model = ActivityMaterial
    form = MaterialForm
    extra = 1


@admin.register(Activity)
class ActivityAdmin(TextLimitsAdmin, EditorPermissions, admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("date", "title", "department", "form", "audience_count")
    text_limits = {"description": ("活动情况", responsibility.MAX_DESCRIPTION)}  # as record_activity
    list_filter = ("form", "department")
    raw_id_fields = ("item",)
    inlines = [PhotoInline, MaterialInline]
