"""普法 posts and videos: saving, publishing and withdrawing them, and their images."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.cases.services import EDITOR_ROLES
from fazhi.cases.text import sanitize_html
from fazhi.core import audit, uploads
from fazhi.core.errors import NotFound, ValidationFailed
from fazhi.core.limits import check_length
from fazhi.core.permissions import require_role
from fazhi.publicity import captions as webvtt
from fazhi.publicity.models import Post, PostImage, PostKind, PostStatus
from fazhi.publicity.services.common import _campaign, _choice, _text

EDITOR_MESSAGE = "只有法规科编辑人员（起草人、法制审核员）或系统管理员可以编辑普法专栏。"
MAX_TRANSCRIPT = 50_000  # characters: a half-hour talk is about 8,000
MAX_BODY = 200_000  # characters of HTML: refused beyond this, never cut


def _apply_files(
    post: Post, *, cover: Any = None, video: Any = None, poster: Any = None, captions: Any = None
) -> None:
    if cover is not None:
        uploads.check_image(cover, label="封面图片")
        post.cover = cover
    if poster is not None:
        uploads.check_image(poster, label="视频封面")
        post.poster = poster
    if video is not None:
        post.video_type = uploads.check_video(video)
        post.video = video
    if captions is not None:
        webvtt.check_captions(captions)
        post.captions = captions


def _post(post_id: int, *, lock: bool = True) -> Post:
    """The post (row-locked for a change unless `lock` is off) or NotFound."""
    qs = Post.objects.select_for_update() if lock else Post.objects.all()
    post = qs.filter(pk=post_id).first()
    if post is None:
        raise NotFound("文章不存在或已被删除。")
    return post


def _set_post_status(post: Post, status: PostStatus, comment: str) -> None:
    before = post.status
    post.status = status
    post.save()
    audit.record(
        action="transition", obj=post, comment=comment, before={"status": before}, after={"status": status}
    )


@transaction.atomic
def save_post(
    *,
    user: Any,
    data: dict[str, Any],
    post_id: int | None = None,
    cover: Any = None,
    video: Any = None,
    poster: Any = None,
    captions: Any = None,
) -> Post:
    """Create (post_id None) or edit a post; the body is sanitised on save, files checked by content.

    `captions` is a WebVTT 字幕文件 and `data["transcript"]` the 文字稿 (a micro-video needs one to be
    published); a refused file or text leaves the post as it was."""
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = Post(author=user) if post_id is None else _post(post_id)
    post.title = _text(data.get("title"), "标题", 200, required=True)
    post.kind = _choice(data.get("kind"), PostKind, "栏目", default=PostKind.NEWS)
    post.summary = _text(data.get("summary"), "摘要", 300)
    post.body = check_length(data.get("body"), "正文", MAX_BODY)
    post.transcript = _text(data.get("transcript"), "文字稿", MAX_TRANSCRIPT)
    post.campaign = _campaign(data.get("campaign"))
    _apply_files(post, cover=cover, video=video, poster=poster, captions=captions)
    if post.status == PostStatus.PUBLISHED:
        # A published post stays publishable: an edit that breaks a publishing rule is refused (and
        # nothing is saved), rather than silently leaving an empty page or a video without a file online.
        problem = published_edit_problem(post)
        if problem:
            raise ValidationFailed(problem)
    post.save()
    return post


def published_edit_problem(post: Any) -> str:
    """For an edit of a published post: why the edited post could no longer be published; "" if fine."""
    problem = publish_problem(post)
    return (
        f"这篇文章已发布，修改后不符合发布要求：{problem}如确需这样修改，请先撤回为草稿。" if problem else ""
    )


def publish_problem(post: Any) -> str:
    """Why the post cannot be (or stay) published, in Chinese; "" when it can."""
    if post.kind == PostKind.VIDEO:
        if not post.video:
            return "微视频发布前请上传 MP4 或 WebM 视频文件。"
        if not post.poster:
            return "微视频发布前请上传视频封面图片。"
        # WCAG 1.2.1 / 1.2.2 (GB/T 37668-2019): deaf and blind readers need the words as text.
        if not post.captions and not str(post.transcript or "").strip():
            return webvtt.REQUIRED_MESSAGE
    elif not sanitize_html(post.body or "").strip():
        return "文章正文为空，不能发布。"
    return ""


@transaction.atomic
def publish_post(*, user: Any, post_id: int) -> Post:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id)
    problem = publish_problem(post)
    if problem:
        raise ValidationFailed(problem)
    if post.status != PostStatus.PUBLISHED:
        post.published_at = post.published_at or timezone.now()
        _set_post_status(post, PostStatus.PUBLISHED, "发布普法文章")
    return post


@transaction.atomic
def unpublish_post(*, user: Any, post_id: int) -> Post:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id)
    if post.status == PostStatus.PUBLISHED:
        _set_post_status(post, PostStatus.DRAFT, "撤回普法文章")
    return post


@transaction.atomic
def add_post_image(*, user: Any, post_id: int, file: Any, alt: str, caption: str = "") -> PostImage:
    require_role(user, *EDITOR_ROLES, message=EDITOR_MESSAGE)
    post = _post(post_id, lock=False)
    uploads.check_image(file)
    return PostImage.objects.create(
        post=post,
        file=file,
        alt=_text(alt, "图片说明（替代文字）", 200, required=True),
        caption=_text(caption, "图注", 200),
    )
