"""Editing published posts keeps the publishing rules; a disabled 专题 survives an edit; admin actions
count only real changes; POST-only pages answer a GET in Chinese; the API takes Chinese choice labels."""

from __future__ import annotations

import json

import pytest

from fazhi.publicity import services
from fazhi.publicity.models import Campaign, Post, PostStatus

from .conftest import MP4, PNG


@pytest.fixture
def published(clerk):
    post = services.save_post(
        user=clerk, data={"title": "已发布的动态", "kind": "news", "body": "<p>原正文</p>"}
    )
    return services.publish_post(user=clerk, post_id=post.pk)


def test_an_edit_that_breaks_the_publishing_rules_is_refused_on_the_page(login, clerk, published):
    page = login(clerk).post(
        f"/publicity/manage/{published.pk}/", {"title": "改成空视频", "kind": "video", "body": ""}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "这篇文章已发布，修改后不符合发布要求：微视频发布前请上传 MP4 或 WebM 视频文件。" in html
    assert "请先撤回为草稿" in html
    assert 'value="改成空视频"' in html  # the typed title stays in the form
    published.refresh_from_db()
    assert (published.title, published.kind, published.body) == ("已发布的动态", "news", "<p>原正文</p>")
    assert published.status == PostStatus.PUBLISHED


def test_an_empty_body_is_refused_for_a_published_article_even_if_only_markup_remains(clerk, published):
    from fazhi.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="文章正文为空，不能发布"):
        services.save_post(
            user=clerk, post_id=published.pk, data={"title": "x", "body": "<script>alert(1)</script>"}
        )
    published.refresh_from_db()
    assert published.body == "<p>原正文</p>"


def test_a_valid_edit_of_a_published_post_keeps_it_published(clerk, published, upload):
    services.save_post(user=clerk, post_id=published.pk, data={"title": "新标题", "body": "<p>新正文</p>"})
    published.refresh_from_db()
    assert published.title == "新标题" and published.status == PostStatus.PUBLISHED
    video = services.save_post(
        user=clerk,
        post_id=published.pk,
        data={"title": "变成微视频", "kind": "video", "transcript": "视频讲述的内容。"},
        video=upload("v.mp4", MP4),
        poster=upload("p.png", PNG),
    )
    assert video.kind == "video" and video.status == PostStatus.PUBLISHED


def test_a_draft_can_still_be_saved_incomplete(clerk):
    draft = services.save_post(user=clerk, data={"title": "草稿视频", "kind": "video"})
    assert draft.status == PostStatus.DRAFT


def test_the_admin_refuses_to_empty_a_published_post(login, sysadmin, published):
    response = login(sysadmin).post(
        f"/admin/publicity/post/{published.pk}/change/",
        {
            "title": "清空正文",
            "kind": "news",
            "summary": "",
            "body": "",
            "campaign": "",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "这篇文章已发布，修改后不符合发布要求：文章正文为空，不能发布。" in response.content.decode()
    published.refresh_from_db()
    assert published.title == "已发布的动态" and published.body == "<p>原正文</p>"


def test_the_admin_publish_action_does_not_count_posts_already_published(login, sysadmin, published):
    draft = Post.objects.create(title="待发布", body="<p>正文</p>")
    response = login(sysadmin).post(
        "/admin/publicity/post/",
        {"action": "publish", "_selected_action": [published.pk, draft.pk]},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["已发布 1 篇文章。", "1 篇文章本来就是该状态，未作改动。"]
    again = login(sysadmin).post(
        "/admin/publicity/post/", {"action": "publish", "_selected_action": [published.pk]}, follow=True
    )
    assert [str(m) for m in again.context["messages"]] == ["1 篇文章本来就是该状态，未作改动。"]


def test_a_post_keeps_its_disabled_campaign_when_edited(login, clerk):
    campaign = Campaign.objects.create(name="旧专题", slug="old", month=3, day=15)
    post = services.save_post(user=clerk, data={"title": "专题文章", "campaign": campaign.pk})
    Campaign.objects.filter(pk=campaign.pk).update(is_active=False)
    editor = login(clerk)
    html = editor.get(f"/publicity/manage/{post.pk}/").content.decode()
    assert f'<option value="{campaign.pk}" selected>旧专题（已停用）</option>' in html
    response = editor.post(
        f"/publicity/manage/{post.pk}/", {"title": "专题文章（改）", "kind": "news", "campaign": campaign.pk}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.campaign_id == campaign.pk and post.title == "专题文章（改）"
    # A disabled campaign still cannot be chosen for another post.
    other = services.save_post(user=clerk, data={"title": "另一篇"})
    refused = editor.post(
        f"/publicity/manage/{other.pk}/", {"title": "另一篇", "kind": "news", "campaign": campaign.pk}
    )
    assert refused.status_code == 200 and "选择一个有效的选项" in refused.content.decode()
    other.refresh_from_db()
    assert other.campaign_id is None


def test_opening_the_publish_address_leads_back_to_the_edit_page(login, clerk):
    post = services.save_post(user=clerk, data={"title": "草稿", "body": "<p>x</p>"})
    response = login(clerk).get(f"/publicity/manage/{post.pk}/publish/", follow=True)
    assert response.redirect_chain == [(f"/publicity/manage/{post.pk}/", 302)]
    assert "请在编辑页面点击“发布”或“撤回为草稿”按钮。" in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_the_api_accepts_chinese_labels_as_well_as_codes(client, clerk, token_for):
    headers = token_for(clerk)
    created = client.post(
        "/api/v1/publicity/posts",
        json.dumps({"title": "接口动态", "kind": "普法动态"}),
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201 and created.json()["kind"] == "news"
    activity = client.post(
        "/api/v1/publicity/activities",
        json.dumps(
            {"title": "培训", "date": "2026-01-05", "place": "会议室", "form": "培训", "department": "法规科"}
        ),
        content_type="application/json",
        headers=headers,
    )
    assert activity.status_code == 201
    lst = services.create_list(user=clerk, year=2026, department="法规科")
    item = services.add_item(
        user=clerk, list_id=lst.pk, law_title="宪法", audiences="干部", planned_activity="讲座"
    )
    status = client.post(
        f"/api/v1/publicity/responsibility/items/{item.pk}/status",
        json.dumps({"status": "进行中"}),
        content_type="application/json",
        headers=headers,
    )
    assert status.status_code == 200 and status.json()["status"] == "in_progress"
    wrong = client.post(
        f"/api/v1/publicity/responsibility/items/{item.pk}/status",
        json.dumps({"status": "做完了"}),
        content_type="application/json",
        headers=headers,
    )
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == "完成情况“做完了”无效，可选：未开始、进行中、已完成。"
