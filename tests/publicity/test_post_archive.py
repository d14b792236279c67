"""The public 普法 archive: every published post reachable, by column or campaign, 20 a page; drafts never
shown; an unknown column or campaign gets a Chinese message."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from fazhi.publicity.models import Campaign, Post, PostStatus
from fazhi.publicity.views import ARCHIVE_PAGE_SIZE


def _titles(html: str) -> list[str]:
    return re.findall(r"(?:动态|解读|专题)\d{3}", html)


def _publish(title: str, kind: str, days_ago: int, campaign=None) -> Post:
    return Post.objects.create(
        title=title,
        kind=kind,
        body="<p>正文</p>",
        campaign=campaign,
        status=PostStatus.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def test_every_published_post_is_reachable_by_column_and_campaign(db, client):
    campaign = Campaign.objects.create(name="国家宪法日", slug="constitution-day", month=12, day=4)
    for i in range(ARCHIVE_PAGE_SIZE + 5):
        _publish(f"动态{i:03d}", "news", days_ago=i)
    for i in range(3):
        _publish(f"解读{i:03d}", "interpretation", days_ago=100 + i)
        _publish(f"专题{i:03d}", "news", days_ago=200 + i, campaign=campaign)
    Post.objects.create(title="动态999", kind="news", body="<p>草稿</p>")  # a draft

    front = client.get("/publicity/").content.decode()
    assert "/publicity/posts/?kind=news" in front

    news = client.get("/publicity/posts/", {"kind": "news"}).content.decode()
    assert _titles(news) == [f"动态{i:03d}" for i in range(ARCHIVE_PAGE_SIZE)]  # newest first
    assert f"共 {ARCHIVE_PAGE_SIZE + 8} 篇" in news
    last = client.get("/publicity/posts/", {"kind": "news", "page": 2}).content.decode()
    assert _titles(last) == [*(f"动态{i:03d}" for i in range(ARCHIVE_PAGE_SIZE, ARCHIVE_PAGE_SIZE + 5)),
                             "专题000", "专题001", "专题002"]  # fmt: skip
    assert "动态999" not in news + last

    topic = client.get("/publicity/posts/", {"campaign": "constitution-day"}).content.decode()
    assert _titles(topic) == ["专题000", "专题001", "专题002"] and "国家宪法日" in topic
    assert (
        "/publicity/posts/?campaign=constitution-day"
        in client.get(campaign.get_absolute_url()).content.decode()
    )
    everything = client.get("/publicity/posts/", {"page": 2}).content.decode()
    assert len(_titles(everything)) == 11  # 31 published posts, 20 on the first page


def test_an_unknown_column_or_campaign_gets_a_message(db, client):
    _publish("动态001", "news", days_ago=1)
    bad_kind = client.get("/publicity/posts/", {"kind": "<script>"})
    assert bad_kind.status_code == 404
    html = bad_kind.content.decode()
    assert "没有“&lt;script&gt;”这个栏目" in html and "<script>" not in html.split("</header>")[-1]
    assert "动态001" in html
    bad_topic = client.get("/publicity/posts/", {"campaign": "nope"})
    assert bad_topic.status_code == 404 and "没有找到该宣传专题" in bad_topic.content.decode()
