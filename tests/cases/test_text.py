"""Markdown rendering and rich-text sanitising: nothing executable survives."""

from fazhi.cases.text import plain_text, render_markdown, sanitize_html


def test_markdown_shows_raw_html_as_text_instead_of_passing_it_through():
    html = render_markdown("事实\n\n<script>alert('x')</script>\n\n<div onclick=\"steal()\">块</div>")
    assert "<script" not in html
    assert "<div" not in html
    assert "&lt;script&gt;" in html


def test_markdown_links_with_javascript_urls_lose_their_href():
    html = render_markdown("[点我](javascript:alert(1)) 和 [官网](https://www.mof.gov.cn/)")
    assert "javascript:" not in html
    assert 'href="https://www.mof.gov.cn/"' in html


def test_markdown_keeps_ordinary_formatting_and_tables():
    html = render_markdown("**重点**\n\n| 条 | 内容 |\n|---|---|\n| 第二十条 | 差别待遇 |")
    assert "<strong>重点</strong>" in html
    assert "<table>" in html and "<td>第二十条</td>" in html


def test_rich_text_loses_script_tags_event_attributes_and_javascript_urls():
    dirty = (
        '<p onclick="x()" onmouseover="y()">正文</p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">链接</a><img src="x.png" onerror="alert(3)" alt="图">'
        '<iframe src="https://evil.example/"></iframe><a href="JaVaScRiPt:alert(4)">二</a>'
    )
    clean = sanitize_html(dirty)
    lowered = clean.lower()
    for bad in ("<script", "onclick", "onmouseover", "onerror", "javascript:", "<iframe", "alert(1)"):
        assert bad not in lowered
    assert "<p>正文</p>" in clean
    assert 'alt="图"' in clean


def test_plain_text_drops_markdown_syntax_for_snippets():
    assert (
        plain_text("编制时不得设置**地域门槛**。\n\n- 一\n- 二 <b>x</b>")
        == "编制时不得设置地域门槛。\n\n一\n二 <b>x</b>"
    )


def test_a_top_level_markdown_heading_becomes_a_second_level_heading():
    html = render_markdown("# 标题\n\n正文\n\n## 小标题")
    assert "<h2>标题</h2>" in html and "<p>正文</p>" in html and "<h2>小标题</h2>" in html
    assert "<h1" not in html


def test_an_h1_in_rich_text_keeps_its_heading_as_h2_and_is_still_sanitised():
    assert sanitize_html('<H1 onclick="x()">标题</H1><p>正文</p>') == "<h2>标题</h2><p>正文</p>"
    assert sanitize_html("<h1>甲</h1 ><script>alert(1)</script>") == "<h2>甲</h2>"
