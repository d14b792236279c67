"""Safe text: Markdown → HTML with raw HTML disabled, then sanitised by nh3 (an allow-list).

Contract: `render_markdown(text)` returns HTML safe to insert in a page; raw HTML written in the
Markdown is shown as text, and whatever Markdown produces passes the same allow-list as rich text.
A first-level heading ("# 标题" or <h1>) becomes <h2>: the page's own title is its only <h1>.
"""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "sub", "sup",
    "blockquote", "code", "pre", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "img", "figure", "figcaption", "span", "mark", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_H1_TAG = re.compile(r"<(/?)h1(?=[\s/>])", re.IGNORECASE)


def sanitize_html(html: str) -> str:
    """Keep only allow-listed tags and attributes; drop scripts, event handlers and javascript: URLs."""
    # Renamed before cleaning (nh3 would drop the tag and leave its words loose); the result is still cleaned.
    return nh3.clean(
        _H1_TAG.sub(r"<\1h2", html or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _markdown_without_html() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Raw HTML blocks and inline tags become escaped text instead of passing through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render_markdown(text: str) -> str:
    """Markdown source → sanitised HTML."""
    if not text:
        return ""
    return sanitize_html(_markdown_without_html().convert(text))


def plain_text(text: str) -> str:
    """Markdown source → the words a reader sees (for the search index and snippets)."""
    if not text:
        return ""
    from html import unescape

    from django.utils.html import strip_tags

    return unescape(strip_tags(render_markdown(text))).strip()
