"""普法 posts: citations in the text link to the law library as on the law pages; the archive searches
titles, summaries and texts, with a Chinese message when nothing matches."""

from __future__ import annotations

from django.utils import timezone

from fazhi.publicity.models import Post, PostStatus
from tests.cases.conftest import make_law


def publish(title, body, *, kind="interpretation", summary=""):
    return Post.objects.create(
        title=title, body=body, kind=kind, summary=summary, status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )  # fmt: skip


def test_citations_in_a_post_link_to_the_articles(client, db):
    law, _ = make_law(
        "中华人民共和国政府采购法实施条例", "政府采购法实施条例", {20: "差别待遇……", 9: "回避……"}
    )
    post = publish(
        "政府采购中的差别待遇",
        "<p>《政府采购法实施条例》第二十条列举了差别待遇的情形；政府采购法实施条例第九条规定了回避。</p>"
        '<p>参见<a href="/laws/">《政府采购法实施条例》第九条</a>。本法第一条不链接；《不存在的法》第三条也不链接。</p>'
        "<p>a &lt; b &amp; 《政府采购法实施条例》第二十条</p>",
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert (
        f'<a class="citation" href="/laws/{law.pk}/articles/20/">《政府采购法实施条例》第二十条</a>' in html
    )
    assert f'<a class="citation" href="/laws/{law.pk}/articles/9/">政府采购法实施条例第九条</a>' in html
    # An existing link is left as it is (no link inside a link), and so are the rest and the escaping.
    assert '">《政府采购法实施条例》第九条</a>。' in html and 'href="/laws/" rel=' in html
    assert "本法第一条不链接" in html and "《不存在的法》第三条也不链接" in html
    assert "a &lt; b &amp; " in html


def test_the_archive_searches_titles_summaries_and_texts(client, db):
    publish("政府采购中的差别待遇", "<p>正文</p>")
    publish("预算公开解读", "<p>预算法第十四条</p>", summary="预算公开")
    publish("宪法宣传周", "<p>国家宪法日</p>", kind="news")
    page = client.get("/publicity/posts/", {"q": "政府采购"}).content.decode()
    assert "政府采购中的差别待遇" in page and "预算公开解读" not in page and "共 1 篇" in page
    assert 'name="q" value="政府采购"' in page
    assert "预算公开解读" in client.get("/publicity/posts/", {"q": "第十四条"}).content.decode()
    both = client.get("/publicity/posts/", {"q": "预算 公开"}).content.decode()
    assert "预算公开解读" in both and "宪法宣传周" not in both
    in_column = client.get("/publicity/posts/", {"q": "宪法", "kind": "interpretation"}).content.decode()
    assert "宪法宣传周" not in in_column and "没有找到包含“宪法”的" in in_column
    assert 'href="/publicity/posts/?q=%E5%AE%AA%E6%B3%95"' in in_column  # search every column instead


def test_a_search_with_no_result_says_so_in_chinese(client, db):
    publish("政府采购中的差别待遇", "<p>正文</p>")
    response = client.get("/publicity/posts/", {"q": "<script>不存在</script>"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "没有找到包含“&lt;script&gt;不存在&lt;/script&gt;”的普法文章" in page and "<script>不存在" not in page
    )


def test_drafts_are_never_found(client, db):
    Post.objects.create(title="政府采购草稿", body="<p>x</p>")
    assert "政府采购草稿" not in client.get("/publicity/posts/", {"q": "政府采购"}).content.decode()
