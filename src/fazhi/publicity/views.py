"""普法专栏 pages: the column, posts and videos, topics, calendar, responsibility lists, editor pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from fazhi.core import downloads, paging, roles, uploads
from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_role, role_required
from fazhi.laws.rendering import link_citations_in_html
from fazhi.publicity import captions, exports, selectors, services
from fazhi.publicity.forms import ActivityForm, PostForm
from fazhi.publicity.models import (
    ActivityMaterial,
    ActivityPhoto,
    Campaign,
    Post,
    PostImage,
    PostKind,
    ResponsibilityItem,
)

EDITORS = services.EDITOR_ROLES
MANAGE_PAGE_SIZE = 50  # posts per page on the editors' list
# 分管领导, 系统管理员 and 监督方 (read-only) see the overview; the editors who keep the lists too.
OVERVIEW_ROLES = (roles.LEADER, roles.SYSADMIN, roles.SUPERVISOR, *EDITORS)


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publicity/index.html",
        {
            "sections": selectors.column(),
            "upcoming": selectors.upcoming_campaigns(limit=4),
            "editor": has_role(request.user, *EDITORS),
            "staff": has_role(request.user, *EDITORS, roles.STAFF_MEMBER),
        },
    )


ARCHIVE_PAGE_SIZE = 20  # posts per page on the public archive


SEARCH_MAX_CHARS = 100


def post_list(request: HttpRequest) -> HttpResponse:
    """Every published post, newest first, 20 a page: one column (`?kind=news`) or one campaign's
    (`?campaign=xianfa`), or all; `?q=` keeps those whose title, summary or text hold the words. An unknown
    column or campaign gets a Chinese message, not an empty list."""
    kind, slug = request.GET.get("kind", ""), request.GET.get("campaign", "")
    q = " ".join(request.GET.get("q", "").split())[:SEARCH_MAX_CHARS]
    everything = selectors.published_posts().select_related("campaign").order_by("-published_at", "-id")
    posts, heading, error, campaign = everything, "全部普法文章", "", None
    if kind:
        if kind not in PostKind.values:
            error = f"没有“{kind[:20]}”这个栏目，下面列出全部文章。"
        else:
            posts, heading = posts.filter(kind=kind), PostKind(kind).label
    if slug and not error:
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            error = "没有找到该宣传专题，下面列出全部文章。"
        else:
            posts, heading = posts.filter(campaign=campaign), f"{campaign.name} · {heading}"
    if error:
        posts, heading, campaign = everything, "全部普法文章", None
    if q:
        posts = selectors.search_posts(posts, q)
    page, querystring = paging.page_of(request, posts, ARCHIVE_PAGE_SIZE)
    return render(
        request,
        "publicity/post_list.html",
        {
            "page": page,
            "querystring": querystring,
            "heading": heading,
            "error": error,
            "kinds": PostKind.choices,
            "kind": kind if not error else "",
            "campaign": campaign,
            "q": q,
        },
        status=404 if error else 200,
    )


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    editor = has_role(request.user, *EDITORS)
    post = selectors.get_post(pk, include_drafts=editor)
    if post is None:
        raise Http404("文章不存在或尚未发布。")
    return render(
        request,
        "publicity/post_detail.html",
        # Citations in the text (《政府采购法实施条例》第二十条) link to the law library, as on its own pages.
        {"post": post, "body_html": link_citations_in_html(post.body), "editor": editor},
    )


MEDIA_FIELDS = {"cover", "video", "poster", "captions"}


def media(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """Uploaded files, served only when the post is public (or to editors)."""
    if kind in MEDIA_FIELDS:
        post = selectors.get_post(pk, include_drafts=has_role(request.user, *EDITORS))
        file = getattr(post, kind) if post is not None else None
        content_type = post.video_type if post is not None and kind == "video" else None
        public = post is not None and post.is_published
    elif kind == "image":
        img = PostImage.objects.select_related("post").filter(pk=pk).first()
        visible = img is not None and (img.post.is_published or has_role(request.user, *EDITORS))
        file, content_type = (img.file if img is not None and visible else None), None
        public = img is not None and img.post.is_published
    elif kind in ("photo", "material") and not has_role(request.user, *OVERVIEW_ROLES, roles.STAFF_MEMBER):
        raise Http404("文件不存在。")  # activity records' files are internal
    elif kind == "photo":
        photo = ActivityPhoto.objects.filter(pk=pk).first()
        file, content_type = (photo.file if photo else None), None
    elif kind == "material":
        material = ActivityMaterial.objects.filter(pk=pk).first()
        file, content_type = (material.file if material else None), None
    else:
        raise Http404("文件不存在。")
    if kind in ("photo", "material"):
        public = False  # internal records: never kept by shared caches
    if not file:
        raise Http404("文件不存在。")
    handle = downloads.open_stored(file)
    # The type comes from the content, never from the stored name (files uploaded before names were
    # chosen by the server keep the uploader's name, e.g. poster.html holding a GIF). Only images and
    # videos (and WebVTT captions for the video's <track>) are shown in the page; anything else is downloaded.
    if kind == "captions":
        handle.seek(0)
        detected = captions.CONTENT_TYPE if captions.has_signature(handle.read(16)) else None
        handle.seek(0)
    else:
        detected = uploads.detect(handle)
    content_type = content_type if content_type in uploads.VIDEO_TYPES else detected
    inline = kind != "material" and content_type is not None and content_type.startswith(("image/", "video/"))
    inline = inline or content_type == captions.CONTENT_TYPE
    content_type = content_type or "application/octet-stream"
    extension = (
        ".vtt" if content_type == captions.CONTENT_TYPE else uploads.EXTENSIONS.get(content_type, ".bin")
    )
    filename = f"{kind}-{pk}{extension}"
    # Drafts and internal files are answered to signed-in editors only: no shared (proxy) cache keeps them.
    cache = "public, max-age=3600" if public else "private, max-age=3600"
    byte_range = _byte_range(request.headers.get("Range", ""), file.size) if kind == "video" else None
    if byte_range is not None:
        # Players (Safari always, others when seeking) fetch video in ranges and need 206 answers.
        start, end = byte_range
        handle.seek(start)
        partial = HttpResponse(handle.read(end - start + 1), status=206, content_type=content_type)
        handle.close()
        partial["Content-Range"] = f"bytes {start}-{end}/{file.size}"
        partial["Accept-Ranges"] = "bytes"
        partial["Cache-Control"] = cache
        partial["X-Content-Type-Options"] = "nosniff"
        return partial
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    if kind == "video":
        response["Accept-Ranges"] = "bytes"
    return response


RANGE_CHUNK = 4 * 1024 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """`bytes=START-[END]` or `bytes=-SUFFIX` → (start, end) inclusive, at most 4 MB; None if absent or invalid."""
    if not header.startswith("bytes=") or "," in header or size == 0:
        return None
    first, _, last = header[6:].strip().partition("-")
    try:
        if first == "":
            start, end = max(0, size - int(last)), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return None
    return start, min(end, size - 1, start + RANGE_CHUNK - 1)


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.topic(slug)
    if found is None:
        raise Http404("专题不存在。")
    return render(request, "publicity/topic.html", {"topic": found})


def calendar(request: HttpRequest) -> HttpResponse:
    return render(request, "publicity/calendar.html", {"occurrences": selectors.upcoming_campaigns()})


# --- editor pages ----------------------------------------------------------------------------


@role_required(*EDITORS)
def manage(request: HttpRequest) -> HttpResponse:
    page, querystring = paging.page_of(
        request, Post.objects.select_related("campaign").order_by("-updated_at", "-pk"), MANAGE_PAGE_SIZE
    )
    return render(
        request,
        "publicity/manage.html",
        {"posts": page.object_list, "page": page, "querystring": querystring},
    )


def _post_form_page(request: HttpRequest, post: Post | None) -> HttpResponse:
    initial = (
        {
            "title": post.title,
            "kind": post.kind,
            "summary": post.summary,
            "body": post.body,
            "transcript": post.transcript,
            "campaign": post.campaign,
        }
        if post
        else {"kind": PostKind.NEWS}
    )
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        current_campaign=post.campaign if post else None,
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = {
            **form.cleaned_data,
            "campaign": form.cleaned_data["campaign"].pk if form.cleaned_data["campaign"] else None,
        }
        try:
            saved = services.save_post(
                user=request.user,
                data=data,
                post_id=post.pk if post else None,
                cover=request.FILES.get("cover"),
                video=request.FILES.get("video"),
                poster=request.FILES.get("poster"),
                captions=request.FILES.get("captions"),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已保存“{saved.title}”。")
            return redirect("publicity:post_edit", pk=saved.pk)
    return render(
        request,
        "publicity/post_form.html",
        {"form": form, "post": post, "error": error},
        status=400 if error else 200,
    )


@role_required(*EDITORS)
def post_new(request: HttpRequest) -> HttpResponse:
    return _post_form_page(request, None)


@role_required(*EDITORS)
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_form_page(request, get_object_or_404(Post, pk=pk))


@role_required(*EDITORS)
def post_publish(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        # Publishing is a button on the edit page; an address typed or bookmarked leads back to it.
        messages.info(request, "请在编辑页面点击“发布”或“撤回为草稿”按钮。")
        return redirect("publicity:post_edit", pk=pk)
    action = services.unpublish_post if request.POST.get("action") == "unpublish" else services.publish_post
    try:
        post = action(user=request.user, post_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("publicity:post_edit", pk=pk)
    messages.success(request, f"“{post.title}”已{'发布' if post.is_published else '撤回为草稿'}。")
    return redirect("publicity:post_edit", pk=pk)


# --- 普法责任清单 ---------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    """?year= when it is a year lists can have (2000–2100); else this year, or the latest earlier one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year()
    return year if 2000 <= year <= 2100 else selectors.default_year()


# 普法责任清单 are published openly (谁执法谁普法: the public sees who is to popularise which law and how far
# they got); keeping them — the lists, items and activity records — stays with the editors and the bureau's
# staff, and the photos and materials of activities stay internal (see `media`).
INTERNAL_READERS = (*OVERVIEW_ROLES, roles.STAFF_MEMBER)


def _year_notice(request: HttpRequest, year: int) -> str:
    """Why the page shows another year than the one asked for (a year typed into the address)."""
    asked = request.GET.get("year", "").strip()
    if not asked or (asked.isdecimal() and int(asked) == year):
        return ""
    return f"年度“{asked[:20]}”无效（应为 2000 至 2100 年之间的年份），下面是 {year} 年的清单。"


def responsibility(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    years = selectors.years()
    return render(
        request,
        "publicity/responsibility.html",
        {
            "ov": selectors.overview(year),
            "years": years if year in years else sorted([*years, year], reverse=True),
            "year": year,
            "error": _year_notice(request, year),
            "editor": has_role(request.user, *EDITORS),
            "can_export": has_role(request.user, *OVERVIEW_ROLES),
        },
    )


def responsibility_list(request: HttpRequest, pk: int) -> HttpResponse:
    lst = selectors.list_detail(pk)
    if lst is None:
        raise Http404("清单不存在。")
    items = list(lst.items.all())
    return render(
        request,
        "publicity/responsibility_list.html",
        {
            "lst": lst,
            "items": items,
            "completion": selectors.completion(items),
            "today": timezone.localdate(),
            # 监督方 and 分管领导 read the list; only those who may record its activities get the link.
            "can_record": services.can_record_activity(request.user, lst.department),
            "internal": has_role(request.user, *INTERNAL_READERS),
        },
    )


@role_required(*OVERVIEW_ROLES)
def responsibility_export(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = exports.overview_workbook(selectors.overview(year))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="pufa-responsibility-{year}.xlsx"'
    return response


@role_required(*EDITORS, roles.STAFF_MEMBER)
def activity_new(request: HttpRequest) -> HttpResponse:
    """Record a 普法活动 (editors: any department; staff: their own department's list items)."""
    year = timezone.localdate().year
    items = ResponsibilityItem.objects.filter(responsibility_list__year__in=[year, year - 1]).select_related(
        "responsibility_list"
    )
    if not has_role(request.user, *EDITORS):
        items = items.filter(responsibility_list__department=request.user.department or "—")  # type: ignore[union-attr]
    initial = {"item": request.GET.get("item"), "department": getattr(request.user, "department", "")}
    form = ActivityForm(request.POST or None, request.FILES or None, items=items, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        alt = data["photo_alt"] or ""
        photos = [(f, alt) for f in request.FILES.getlist("photos")]
        material = request.FILES.get("material")
        materials = [(str(data["material_title"] or material.name), material, "")] if material else []
        try:
            activity = services.record_activity(
                user=request.user,
                data={
                    **{
                        k: data[k]
                        for k in (
                            "title",
                            "date",
                            "place",
                            "form",
                            "audience_count",
                            "description",
                            "department",
                        )
                    },
                    "item": data["item"].pk if data["item"] else None,
                    "campaign": data["campaign"].pk if data["campaign"] else None,
                },
                photos=photos,
                materials=materials,
                mark_done=data["mark_done"],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已登记活动“{activity.title}”。")
            if activity.item_id and has_role(request.user, *OVERVIEW_ROLES):
                return redirect("publicity:responsibility_list", pk=activity.item.responsibility_list_id)  # type: ignore[union-attr]
            return redirect("publicity:activity_new")
    return render(
        request, "publicity/activity_form.html", {"form": form, "error": error}, status=400 if error else 200
    )
