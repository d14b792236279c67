"""Inputs the 普法 pages and API must refuse in Chinese rather than take or cut silently (audit in a browser),
and the archive's headings in order."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.publicity.models import Activity, Post, PostStatus

ACTIVITY = {"title": "政府采购法规专题培训", "date": "2026-03-20", "place": "会议室", "form": "training"}


def _post_activity(client: Client, **extra) -> tuple[int, dict]:
    r = client.post("/api/v1/publicity/activities", json.dumps({**ACTIVITY, **extra}), "application/json")
    return r.status_code, r.json()


@pytest.fixture
def editor_client(clerk):
    client = Client()
    client.force_login(clerk)
    return client


@pytest.mark.parametrize(
    "link", ["//evil.example/材料.pdf", "javascript:alert(1)", "ftp://files.example/a.pdf", "https://"]
)
def test_a_material_link_must_be_a_site_page_or_a_web_address(editor_client, link):
    status, body = _post_activity(editor_client, department="法规科", material_links=[link])
    assert status == 400
    assert "需要上传文件或填写以 http(s):// 开头的链接" in body["detail"]
    assert not Activity.objects.exists()


def test_a_material_link_longer_than_its_column_is_refused(editor_client):
    link = "https://www.example.gov.cn/" + "a" * 480
    status, body = _post_activity(editor_client, department="法规科", material_links=[link])
    assert status == 400
    assert "的链接不能超过 500 个字（当前 507 个字）。" in body["detail"]
    status, _ = _post_activity(
        editor_client, department="法规科", material_links=["https://www.example.gov.cn/a"]
    )
    assert status == 201


def test_a_long_description_is_refused_not_cut(editor_client):
    status, body = _post_activity(editor_client, department="法规科", description="情" * 5001)
    assert status == 400
    assert body["detail"] == "活动情况不能超过 5,000 个字（当前 5,001 个字）。"
    assert not Activity.objects.exists()
    status, _ = _post_activity(editor_client, department="法规科", description="情" * 5000)
    assert status == 201
    assert len(Activity.objects.get().description) == 5000


def test_the_activity_form_keeps_a_long_description_and_says_why(editor_client):
    page = editor_client.post(
        "/publicity/activities/new/",
        {**ACTIVITY, "department": "法规科", "audience_count": 10, "description": "情" * 5001},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "5000" in html and "情" * 5001 in html  # the text typed stays in the box
    assert not Activity.objects.exists()


def test_the_posts_api_refuses_an_unknown_column(db):
    Post.objects.create(
        title="解读",
        kind="interpretation",
        body="<p>正文</p>",
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    r = Client().get("/api/v1/publicity/posts", {"kind": "bogus"})
    assert r.status_code == 400
    assert r.json()["detail"] == "栏目“bogus”无效，可选：普法动态、法规解读、以问答法、普法微视频。"
    assert [p["title"] for p in Client().get("/api/v1/publicity/posts", {"kind": "法规解读"}).json()] == [
        "解读"
    ]
    assert [
        p["title"] for p in Client().get("/api/v1/publicity/posts", {"kind": "interpretation"}).json()
    ] == ["解读"]
    assert Client().get("/api/v1/publicity/posts", {"kind": "news"}).json() == []


def test_the_archive_headings_go_down_one_level_at_a_time(db):
    Post.objects.create(
        title="区财政局开展宪法宣传周活动",
        kind="news",
        body="<p>正文</p>",
        status=PostStatus.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=1),
    )
    html = Client().get("/publicity/posts/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", main)]
    assert levels[0] == 1 and 3 in levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
