"""普法微视频 captions (字幕文件, WebVTT) and transcripts (文字稿): GB/T 37668-2019 / WCAG 2.0 1.2.1 and 1.2.2.

A .vtt upload is checked wherever a post is written (editor page, admin, service); a micro-video is only
published with captions or a transcript; the public page carries a <track> and the escaped transcript;
the captions file is served like the video — never to outsiders while the post is a draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import PermissionDenied, ValidationFailed
from fazhi.publicity import captions, services
from fazhi.publicity.models import Post, PostStatus

from .conftest import MP4, PNG

REQUIRED = "发布普法微视频须附字幕文件或文字稿（GB/T 37668-2019 / WCAG 1.2）"

VTT = """WEBVTT - 民法典微课堂

NOTE 中文字幕，时间为视频中的位置

1
00:00:01.000 --> 00:00:04.500 line:90%
民法典是新中国第一部以“法典”命名的法律。

2
00:04.500 --> 00:09.000
它被称为“社会生活的百科全书”。
"""


@pytest.fixture
def vtt_file(tmp_path) -> Path:
    """A real caption file on disk, as an editor would pick it: UTF-8 text with a BOM and CRLF line ends."""
    path = tmp_path / "民法典微课堂.vtt"
    path.write_bytes(b"\xef\xbb\xbf" + VTT.replace("\n", "\r\n").encode("utf-8"))
    return path


def _vtt(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/vtt")


def _video_draft(clerk, upload, **data) -> Post:
    return services.save_post(
        user=clerk,
        data={"title": "民法典微课堂", "kind": "video", **data},
        video=upload("a.mp4", MP4),
        poster=upload("p.png", PNG),
    )


def _page_data(post: Post, **extra) -> dict:
    """What the editor page posts back for `post` unchanged, plus `extra`."""
    return {
        "title": post.title,
        "kind": post.kind,
        "summary": post.summary,
        "transcript": post.transcript,
        **extra,
    }


BAD_FILES = {
    "srt": (
        "1\n00:00:01,000 --> 00:00:04,000\n这是 SRT 字幕。\n".encode(),
        "不是 WebVTT 格式：文件第一行须为“WEBVTT”",
    ),
    "gbk": (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n这是 GBK 编码的字幕。\n".encode("gbk"),
        "不是 UTF-8 编码",
    ),
    "no_cue": ("WEBVTT\n\n民法典是社会生活的百科全书。\n".encode(), "没有字幕时间行"),
    "signature_only_prefix": (b"WEBVTTX\n\n00:00:01.000 --> 00:00:04.000\nx\n", "不是 WebVTT 格式"),
    "comma_times": ("WEBVTT\n\n00:00:01,000 --> 00:00:04,000\n逗号分隔毫秒\n".encode(), "没有字幕时间行"),
    "too_big": (
        b"WEBVTT\n\n" + b"00:00:01.000 --> 00:00:04.000\n" + b"x" * captions.MAX_BYTES,
        "超过 1 MB 的上限",
    ),
}


# --- the check ----------------------------------------------------------------------------------------


def test_a_real_vtt_file_passes_the_check_and_is_stored_under_a_server_chosen_vtt_name(
    clerk, upload, vtt_file
):
    post = _video_draft(clerk, upload)
    post = services.save_post(
        user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
    )
    assert post.captions.name.startswith("publicity/captions/") and post.captions.name.endswith(".vtt")
    assert "民法典" not in post.captions.name  # the uploader's name never decides the stored one
    stored = Path(settings.MEDIA_ROOT) / post.captions.name
    assert stored.read_bytes() == vtt_file.read_bytes()


@pytest.mark.parametrize(
    "content", [b"WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", b"WEBVTT\t\r\r01:00.000 --> 01:02.000"]
)
def test_short_timestamps_tabs_and_old_mac_line_ends_are_webvtt_too(content):
    captions.check_captions(SimpleUploadedFile("a.vtt", content))


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_caption_file_is_refused_by_the_service_and_the_post_is_unchanged(clerk, upload, case):
    content, message = BAD_FILES[case]
    post = _video_draft(clerk, upload, transcript="原文字稿。")
    with pytest.raises(ValidationFailed, match=message) as refused:
        services.save_post(
            user=clerk,
            post_id=post.pk,
            data={"title": "改过的标题", "kind": "video", "transcript": "改过的文字稿。"},
            captions=upload("bad.vtt", content, "text/vtt"),
        )
    assert "字幕文件“bad.vtt”" in refused.value.message
    post.refresh_from_db()
    assert (post.title, post.transcript, post.captions.name) == ("民法典微课堂", "原文字稿。", "")
    assert not (Path(settings.MEDIA_ROOT) / "publicity" / "captions").exists()


@pytest.mark.parametrize("case", ["srt", "gbk", "no_cue", "too_big"])
def test_the_editor_page_shows_the_refusal_next_to_the_captions_field(login, clerk, upload, case):
    content, message = BAD_FILES[case]
    post = _video_draft(clerk, upload, transcript="原文字稿。")
    page = login(clerk).post(
        f"/publicity/manage/{post.pk}/",
        _page_data(post, title="改过的标题", captions=upload("bad.vtt", content, "text/vtt")),
    )
    assert page.context["form"].errors["captions"][0].startswith("字幕文件“bad.vtt”")
    assert message in page.context["form"].errors["captions"][0]
    assert list(page.context["form"].errors) == ["captions"]
    html = page.content.decode()
    assert html.index('id="id_captions"') < html.index(message)  # shown with the field, not elsewhere
    post.refresh_from_db()
    assert post.title == "民法典微课堂" and not post.captions


def test_the_admin_refuses_a_bad_caption_file_on_its_field(login, sysadmin, clerk, upload):
    post = _video_draft(clerk, upload, transcript="原文字稿。")
    content, message = BAD_FILES["srt"]
    response = login(sysadmin).post(
        f"/admin/publicity/post/{post.pk}/change/",
        {
            **_page_data(post, title="后台改标题", body=""),
            "campaign": "",
            "captions": upload("bad.vtt", content, "text/vtt"),
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["captions"][0]
    post.refresh_from_db()
    assert post.title == "民法典微课堂" and not post.captions


def test_the_admin_stores_a_good_caption_file_and_a_transcript(login, sysadmin, clerk, upload, vtt_file):
    post = _video_draft(clerk, upload)
    response = login(sysadmin).post(
        f"/admin/publicity/post/{post.pk}/change/",
        {
            **_page_data(post, body="", transcript="后台填写的文字稿。"),
            "campaign": "",
            "captions": _vtt(vtt_file),
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.captions.name.endswith(".vtt") and post.transcript == "后台填写的文字稿。"
    form = login(sysadmin).get(f"/admin/publicity/post/{post.pk}/change/").content.decode()
    assert f'href="/publicity/media/captions/{post.pk}/"' in form  # the stored file links to the checked view
    assert "文字稿" in form and "WebVTT" in form


# --- publishing ---------------------------------------------------------------------------------------


def test_a_micro_video_without_captions_or_transcript_stays_a_draft(login, clerk, upload, token_for, client):
    post = _video_draft(clerk, upload)
    with pytest.raises(ValidationFailed, match=REQUIRED):
        services.publish_post(user=clerk, post_id=post.pk)
    # The editor page's button says why.
    page = login(clerk).post(f"/publicity/manage/{post.pk}/publish/", follow=True)
    assert REQUIRED in [str(m) for m in page.context["messages"]][0]
    # So does the API.
    api = client.post(f"/api/v1/publicity/posts/{post.pk}/publish", headers=token_for(clerk))
    assert api.status_code == 400 and REQUIRED in json.dumps(api.json(), ensure_ascii=False)
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT and post.published_at is None


def test_the_admin_publish_action_refuses_a_micro_video_without_captions_or_transcript(
    login, sysadmin, clerk, upload
):
    post = _video_draft(clerk, upload, transcript="   ")  # blank is no transcript
    response = login(sysadmin).post(
        "/admin/publicity/post/", {"action": "publish", "_selected_action": [post.pk]}, follow=True
    )
    assert any(REQUIRED in str(m) for m in response.context["messages"])
    post.refresh_from_db()
    assert post.status == PostStatus.DRAFT


def test_a_transcript_alone_is_enough_to_publish(clerk, upload):
    post = _video_draft(clerk, upload, transcript="民法典是社会生活的百科全书。")
    assert services.publish_post(user=clerk, post_id=post.pk).status == PostStatus.PUBLISHED


def test_captions_alone_are_enough_to_publish(clerk, upload, vtt_file):
    post = _video_draft(clerk, upload)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
    )
    assert services.publish_post(user=clerk, post_id=post.pk).status == PostStatus.PUBLISHED


def test_a_published_micro_video_cannot_lose_its_only_text_alternative(login, clerk, sysadmin, upload):
    post = _video_draft(clerk, upload, transcript="原文字稿。")
    services.publish_post(user=clerk, post_id=post.pk)
    with pytest.raises(ValidationFailed, match=REQUIRED):
        services.save_post(
            user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video", "transcript": ""}
        )
    page = login(clerk).post(f"/publicity/manage/{post.pk}/", _page_data(post, transcript=""))
    assert page.status_code == 400 and "请先撤回为草稿" in page.content.decode()
    admin = login(sysadmin).post(
        f"/admin/publicity/post/{post.pk}/change/",
        {
            **_page_data(post, body="", transcript=""),
            "campaign": "",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert admin.status_code == 200 and REQUIRED in admin.content.decode()
    post.refresh_from_db()
    assert post.transcript == "原文字稿。" and post.status == PostStatus.PUBLISHED


def test_drafts_and_other_columns_need_no_captions(clerk):
    assert (
        services.save_post(user=clerk, data={"title": "视频草稿", "kind": "video"}).status == PostStatus.DRAFT
    )
    news = services.save_post(user=clerk, data={"title": "动态", "kind": "news", "body": "<p>正文</p>"})
    assert services.publish_post(user=clerk, post_id=news.pk).is_published


# --- the public page and the file ---------------------------------------------------------------------


def test_the_published_video_page_carries_the_captions_track_and_serves_it_as_text_vtt(
    client, login, clerk, upload, vtt_file
):
    page = login(clerk).post(
        "/publicity/manage/new/",
        {
            "title": "民法典微课堂",
            "kind": "video",
            "video": upload("a.mp4", MP4, "video/mp4"),
            "poster": upload("p.png", PNG, "image/png"),
            "captions": _vtt(vtt_file),
        },
    )
    assert page.status_code == 302
    post = Post.objects.get(title="民法典微课堂")
    services.publish_post(user=clerk, post_id=post.pk)
    html = client.get(post.get_absolute_url()).content.decode()
    track = f'<track kind="captions" srclang="zh" label="中文字幕" src="/publicity/media/captions/{post.pk}/" default>'
    assert track in html
    assert html.index("<video") < html.index(track) < html.index("</video>")
    response = client.get(f"/publicity/media/captions/{post.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline") and ".vtt" in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=3600"
    assert b"".join(response.streaming_content) == vtt_file.read_bytes()


def test_a_video_without_captions_has_no_track(client, clerk, upload):
    post = _video_draft(clerk, upload, transcript="文字稿。")
    services.publish_post(user=clerk, post_id=post.pk)
    assert "<track" not in client.get(post.get_absolute_url()).content.decode()
    assert client.get(f"/publicity/media/captions/{post.pk}/").status_code == 404


def test_the_transcript_is_shown_below_the_video_escaped(client, clerk, upload):
    post = _video_draft(clerk, upload, transcript='第一段<script>alert("x")</script>\n\n第二段 & <b>粗体</b>')
    services.publish_post(user=clerk, post_id=post.pk)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<summary>文字稿</summary>" in html
    assert html.index("</video>") < html.index("<summary>文字稿</summary>")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>粗体</b>" not in html
    assert "第二段 &amp; &lt;b&gt;粗体&lt;/b&gt;" in html


def test_a_stored_captions_file_that_is_not_webvtt_is_downloaded_not_shown(client, clerk, upload):
    """A file put in place outside the checks (shell, restore) is never served as captions or as a page."""
    post = _video_draft(clerk, upload, transcript="文字稿。")
    services.publish_post(user=clerk, post_id=post.pk)
    stored = Path(settings.MEDIA_ROOT) / "publicity/captions/2025/x.vtt"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(b"<html><script>alert(1)</script></html>")
    Post.objects.filter(pk=post.pk).update(captions="publicity/captions/2025/x.vtt")
    response = client.get(f"/publicity/media/captions/{post.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_the_api_gives_the_transcript_and_the_captions_address(client, clerk, upload, vtt_file, token_for):
    post = _video_draft(clerk, upload, transcript="接口里的文字稿。")
    services.save_post(
        user=clerk,
        post_id=post.pk,
        data={"title": post.title, "kind": "video", "transcript": "接口里的文字稿。"},
        captions=_vtt(vtt_file),
    )
    services.publish_post(user=clerk, post_id=post.pk)
    detail = client.get(f"/api/v1/publicity/posts/{post.pk}").json()
    assert detail["transcript"] == "接口里的文字稿。"
    assert detail["captions_url"] == f"/publicity/media/captions/{post.pk}/"
    created = client.post(
        "/api/v1/publicity/posts",
        json.dumps({"title": "接口视频", "kind": "video", "transcript": "接口新建的文字稿。"}),
        content_type="application/json",
        headers=token_for(clerk),
    )
    assert created.status_code == 201 and created.json()["transcript"] == "接口新建的文字稿。"


# --- who may read and write ---------------------------------------------------------------------------


def test_outsiders_cannot_fetch_a_drafts_captions_or_edit_it(
    client, login, clerk, outsider, enterprise, upload, vtt_file
):
    post = _video_draft(clerk, upload)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
    )
    url = f"/publicity/media/captions/{post.pk}/"
    assert client.get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert login(enterprise).get(url).status_code == 404
    assert client.get(post.get_absolute_url()).status_code == 404
    editor = login(clerk).get(url)
    assert editor.status_code == 200 and editor["Cache-Control"] == "private, max-age=3600"
    assert 'src="/publicity/media/captions/' in login(clerk).get(post.get_absolute_url()).content.decode()

    edit = _page_data(post, title="被改的标题", transcript="外人写的文字稿")
    anonymous = client.post(f"/publicity/manage/{post.pk}/", edit)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(outsider).post(f"/publicity/manage/{post.pk}/", edit).status_code == 403
    assert login(outsider).post(f"/publicity/manage/{post.pk}/publish/").status_code == 403
    assert login(outsider).get(f"/admin/publicity/post/{post.pk}/change/").status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        services.save_post(
            user=outsider, post_id=post.pk, data={"title": "x", "kind": "video", "transcript": "x"}
        )
    post.refresh_from_db()
    assert (post.title, post.transcript, post.status) == ("民法典微课堂", "", PostStatus.DRAFT)


def test_withdrawing_a_video_hides_its_captions_again(client, clerk, upload, vtt_file):
    post = _video_draft(clerk, upload)
    services.save_post(
        user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
    )
    services.publish_post(user=clerk, post_id=post.pk)
    url = f"/publicity/media/captions/{post.pk}/"
    assert client.get(url).status_code == 200
    services.unpublish_post(user=clerk, post_id=post.pk)
    assert client.get(url).status_code == 404


def test_replacing_the_captions_removes_the_old_file(
    django_capture_on_commit_callbacks, clerk, upload, vtt_file
):
    post = _video_draft(clerk, upload)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.save_post(
            user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
        ).captions.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.save_post(
            user=clerk, post_id=post.pk, data={"title": post.title, "kind": "video"}, captions=_vtt(vtt_file)
        ).captions.name
    assert first != second
    assert not (Path(settings.MEDIA_ROOT) / first).exists() and (Path(settings.MEDIA_ROOT) / second).exists()


def test_the_editor_page_offers_both_fields_with_their_help_linked_for_screen_readers(
    login, clerk, upload, vtt_file
):
    post = _video_draft(clerk, upload, transcript="原文字稿。")
    services.save_post(
        user=clerk,
        post_id=post.pk,
        data={"title": post.title, "kind": "video", "transcript": "原文字稿。"},
        captions=_vtt(vtt_file),
    )
    html = login(clerk).get(f"/publicity/manage/{post.pk}/").content.decode()
    for field in ("captions", "transcript"):
        assert f'aria-describedby="id_{field}_helptext"' in html
        assert f'<span class="muted" id="id_{field}_helptext">' in html
    assert 'accept=".vtt,text/vtt"' in html
    assert "原文字稿。</textarea>" in html
    assert f'已上传<a href="/publicity/media/captions/{post.pk}/">字幕文件</a>' in html


def test_the_archive_search_finds_a_video_by_what_its_transcript_says(client, clerk, upload):
    post = _video_draft(clerk, upload, transcript="讲解政府采购中以不合理条件对供应商实行差别待遇。")
    services.publish_post(user=clerk, post_id=post.pk)
    found = client.get("/publicity/posts/", {"q": "差别待遇 供应商"}).content.decode()
    assert "民法典微课堂" in found
    missed = client.get("/publicity/posts/", {"q": "差别待遇 宅基地"}).content.decode()
    assert "民法典微课堂" not in missed
