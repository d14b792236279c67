"""普法专栏 posts and micro-videos: sanitising, editor pages, publishing, media access."""

from __future__ import annotations

import json

import pytest

from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.publicity import services
from fazhi.publicity.models import Post, PostStatus

from .conftest import MP4, PNG, WEBM

DIRTY = '<p onclick="x()">正文</p><script>alert(1)</script><a href="javascript:alert(2)">链接</a>'


def _assert_clean(body: str) -> None:
    for bad in ("<script", "onclick", "javascript:"):
        assert bad not in body.lower()
    assert "<p>正文</p>" in body


def test_the_body_is_sanitised_on_save_whatever_path_writes_it(clerk):
    post = services.save_post(user=clerk, data={"title": "解读", "kind": "interpretation", "body": DIRTY})
    _assert_clean(Post.objects.get(pk=post.pk).body)
    direct = Post.objects.create(title="直接写入", body=DIRTY)
    _assert_clean(Post.objects.get(pk=direct.pk).body)


def test_an_editor_creates_and_publishes_through_the_pages(login, clerk, client):
    editor = login(clerk)
    page = editor.post("/publicity/manage/new/", {"title": "新的普法动态", "kind": "news", "body": DIRTY})
    assert page.status_code == 302
    post = Post.objects.get(title="新的普法动态")
    _assert_clean(post.body)
    assert client.get(post.get_absolute_url()).status_code == 404  # a draft
    form = editor.get(f"/publicity/manage/{post.pk}/").content.decode()
    assert 'data-confirm="确定发布？' in form  # the browser asks first (static/js/confirm.js)
    assert editor.post(f"/publicity/manage/{post.pk}/publish/").status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.published_at
    html = client.get(post.get_absolute_url()).content.decode()
    assert "新的普法动态" in html and "<script>alert" not in html


@pytest.mark.parametrize("path", ["/publicity/manage/", "/publicity/manage/new/"])
def test_editor_pages_send_anonymous_users_to_login_and_refuse_outsiders(
    client, login, outsider, director, path
):
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(outsider).get(path).status_code == 403
    assert login(director).get(path).status_code == 403


def test_outsiders_cannot_publish_or_write_posts_through_the_api(client, clerk, outsider, token_for):
    post = services.save_post(user=clerk, data={"title": "草稿", "body": "<p>x</p>"})
    assert login_post(client, f"/publicity/manage/{post.pk}/publish/") == 302
    body = json.dumps({"title": "接口文章", "body": DIRTY})
    assert client.post("/api/v1/publicity/posts", body, content_type="application/json").status_code == 401
    assert (
        client.post(
            "/api/v1/publicity/posts", body, content_type="application/json", headers=token_for(outsider)
        ).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/publicity/posts/{post.pk}/publish", headers=token_for(outsider)).status_code
        == 403
    )
    created = client.post(
        "/api/v1/publicity/posts", body, content_type="application/json", headers=token_for(clerk)
    )
    assert created.status_code == 201
    _assert_clean(created.json()["body"])
    with pytest.raises(PermissionDenied):
        services.publish_post(user=outsider, post_id=post.pk)
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT


def login_post(client, path):
    return client.post(path).status_code


def test_a_video_post_needs_a_video_and_a_poster_before_publishing(clerk, upload):
    post = services.save_post(user=clerk, data={"title": "微视频", "kind": "video"})
    with pytest.raises(ValidationFailed, match="视频文件"):
        services.publish_post(user=clerk, post_id=post.pk)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": "微视频", "kind": "video"}, video=upload("v.webm", WEBM)
    )
    with pytest.raises(ValidationFailed, match="视频封面"):
        services.publish_post(user=clerk, post_id=post.pk)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": "微视频", "kind": "video"}, poster=upload("p.png", PNG)
    )
    with pytest.raises(ValidationFailed, match="字幕文件或文字稿"):
        services.publish_post(user=clerk, post_id=post.pk)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": "微视频", "kind": "video", "transcript": "讲述的内容。"}
    )
    assert services.publish_post(user=clerk, post_id=post.pk).video_type == "video/webm"


def test_a_fake_video_upload_is_refused_on_the_editor_page_and_nothing_is_saved(login, clerk, upload):
    page = login(clerk).post(
        "/publicity/manage/new/",
        {
            "title": "假视频",
            "kind": "video",
            "video": upload("clip.mp4", b"<html>not a video</html>", "video/mp4"),
        },
    )
    assert page.status_code == 400
    assert "不是 MP4 或 WebM" in page.content.decode()
    assert not Post.objects.filter(title="假视频").exists()


def test_the_video_page_plays_the_file_with_the_html5_player_once_published(client, login, clerk, upload):
    post = services.save_post(
        user=clerk,
        data={"title": "民法典微课堂", "kind": "video", "transcript": "民法典是社会生活的百科全书。"},
        video=upload("a.mp4", MP4),
        poster=upload("p.png", PNG),
    )
    assert client.get(f"/publicity/media/video/{post.pk}/").status_code == 404  # draft: not public
    assert login(clerk).get(f"/publicity/media/video/{post.pk}/").status_code == 200
    services.publish_post(user=clerk, post_id=post.pk)
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<source src="/publicity/media/video/{post.pk}/" type="video/mp4">' in html
    assert f'poster="/publicity/media/poster/{post.pk}/"' in html
    media = client.get(f"/publicity/media/video/{post.pk}/")
    assert media.status_code == 200 and media["Content-Type"] == "video/mp4"
    assert b"".join(media.streaming_content).startswith(MP4[:12])


def test_the_column_and_the_post_api_show_only_published_posts(client, clerk):
    shown = services.save_post(user=clerk, data={"title": "以问答法一", "kind": "qa", "body": "<p>答</p>"})
    services.publish_post(user=clerk, post_id=shown.pk)
    services.save_post(user=clerk, data={"title": "仍是草稿", "kind": "qa", "body": "<p>答</p>"})
    html = client.get("/publicity/").content.decode()
    assert "以问答法一" in html and "仍是草稿" not in html
    assert [p["title"] for p in client.get("/api/v1/publicity/posts").json()] == ["以问答法一"]


def test_video_files_answer_range_requests_for_players_that_seek(client, clerk, upload):
    post = services.save_post(
        user=clerk,
        data={"title": "分段播放", "kind": "video", "transcript": "视频讲述的内容。"},
        video=upload("a.mp4", MP4),
        poster=upload("p.png", PNG),
    )
    services.publish_post(user=clerk, post_id=post.pk)
    url = f"/publicity/media/video/{post.pk}/"
    part = client.get(url, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206
    assert part.content == MP4[4:12]
    assert part["Content-Range"] == f"bytes 4-11/{len(MP4)}"
    tail = client.get(url, headers={"Range": "bytes=-4"})
    assert tail.content == MP4[-4:]
    assert client.get(url, headers={"Range": "bytes=999999-"}).status_code == 200  # unsatisfiable: whole file
