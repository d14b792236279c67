"""Public 普法 pages: topic pages gather posts, cases, quizzes and activities; the calendar lists dates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.cases.models import Case, CaseStatus
from fazhi.publicity.models import Activity, ActivityPhoto, Campaign, Post, PostStatus


def test_a_topic_page_gathers_posts_cases_quiz_and_activities(db, client):
    campaign = Campaign.objects.create(
        name="国家宪法日", slug="constitution-day", month=12, day=4, theme="弘扬宪法精神",
        quiz_title="宪法知识竞赛", quiz_url="/exams/competitions/1/",
    )  # fmt: skip
    Post.objects.create(
        title="宪法宣传周活动",
        body="<p>x</p>",
        campaign=campaign,
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    Post.objects.create(title="草稿不显示", body="<p>x</p>", campaign=campaign)
    case = Case.objects.create(
        title="宪法相关案例", category="other", facts="事实", status=CaseStatus.PUBLISHED
    )
    hidden = Case.objects.create(title="未发布案例", category="other", facts="事实")
    campaign.cases.add(case, hidden)
    Activity.objects.create(
        title="宪法进机关", department="办公室", date=dt.date(2025, 12, 4), place="会议室", form="lecture",
        audience_count=60, campaign=campaign,
    )  # fmt: skip
    html = client.get("/publicity/topics/constitution-day/").content.decode()
    for shown in (
        "国家宪法日",
        "弘扬宪法精神",
        "宪法宣传周活动",
        "宪法相关案例",
        "宪法知识竞赛",
        "/exams/competitions/1/",
        "宪法进机关",
    ):
        assert shown in html
    assert "草稿不显示" not in html and "未发布案例" not in html
    assert client.get("/publicity/topics/no-such-topic/").status_code == 404


def test_the_calendar_page_lists_campaigns_in_date_order(db, client):
    Campaign.objects.create(name="安全生产月", slug="safety", month=6)
    Campaign.objects.create(name="国家宪法日", slug="constitution", month=12, day=4)
    Campaign.objects.create(name="停用的节点", slug="off", month=1, day=1, is_active=False)
    html = client.get("/publicity/calendar/").content.decode()
    assert "停用的节点" not in html
    today = timezone.localdate()
    first, second = (
        ("国家宪法日", "安全生产月")
        if dt.date(today.year, 6, 30) < today <= dt.date(today.year, 12, 4)
        else ("安全生产月", "国家宪法日")
    )
    assert html.index(first) < html.index(second)
    api = client.get("/api/v1/publicity/campaigns/upcoming").json()
    assert [o["name"] for o in api] == [first, second]


def test_activity_photos_are_internal(client, login, outsider, director, tmp_path):
    from django.core.files.base import ContentFile

    activity = Activity.objects.create(
        title="讲座", department="办公室", date=dt.date(2026, 1, 5), place="会议室", form="lecture"
    )
    photo = ActivityPhoto.objects.create(
        activity=activity, alt="现场", file=ContentFile(b"\xff\xd8\xff\xe0", name="p.jpg")
    )
    assert client.get(f"/publicity/media/photo/{photo.pk}/").status_code == 404
    assert login(outsider).get(f"/publicity/media/photo/{photo.pk}/").status_code == 404
    assert login(director).get(f"/publicity/media/photo/{photo.pk}/").status_code == 200


def test_the_admin_case_editor_loads_the_markdown_preview(login, sysadmin):
    html = login(sysadmin).get("/admin/cases/case/add/").content.decode()
    assert "cases/markdown-editor.js" in html
    assert 'class="markdown-editor"' in html and 'data-preview-url="/cases/markdown-preview/"' in html


def test_admin_actions_publish_through_the_service_rules(login, sysadmin):
    video = Post.objects.create(title="没有视频的微视频", kind="video")
    text = Post.objects.create(title="有正文的文章", body="<p>正文</p>")
    admin = login(sysadmin)
    response = admin.post(
        "/admin/publicity/post/", {"action": "publish", "_selected_action": [video.pk, text.pk]}, follow=True
    )
    video.refresh_from_db()
    text.refresh_from_db()
    assert video.status == PostStatus.DRAFT
    assert text.status == PostStatus.PUBLISHED and text.published_at
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["《没有视频的微视频》：微视频发布前请上传 MP4 或 WebM 视频文件。", "已发布 1 篇文章。"]


def test_the_public_pages_render_with_no_content_at_all(db, client):
    for url in (
        "/",
        "/cases/",
        "/cases/?q=采购&category=政府采购",
        "/publicity/",
        "/publicity/calendar/",
        "/cases/search/?q=预算",
    ):
        assert client.get(url).status_code == 200, url
