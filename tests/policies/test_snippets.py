"""Policy snippets come from the shared highlight.snippet with the policy options."""

from __future__ import annotations

from fazhi.policies import index, ranking


def test_a_policy_snippet_marks_the_query_words_in_the_text_as_written():
    aq = index.analyze("中小微企业房租减免")
    text = "为支持中小微企业，對承租國有房產的企業減免房租（２０２０年２月）<b>。</b>"
    out = ranking.snippet(text, aq)
    assert out.startswith("为支持<mark>中小微企业</mark>，對承租國有房產的<mark>企業減免房租</mark>")
    assert "（２０２０年２月）" in out and "&lt;b&gt;" in out and "<b>" not in out


def test_a_policy_snippet_without_hits_is_the_start_of_the_text():
    aq = index.analyze("稳岗补贴")
    assert ranking.snippet("甲" * 200, aq) == "甲" * 120 + "…"
    assert ranking.snippet("", aq) == ""


def test_the_search_api_snippet_is_the_shared_snippet(client, policies):
    body = client.get("/api/v1/policies/search", {"q": "中小微企业房租", "limit": 5}).json()
    rent = next(r for r in body["results"] if r["title"] == "关于减免小微企业房租的通知")
    assert rent["snippet"] == "对承租国有房产的<mark>中小微企业</mark>，免收2月份<mark>房租</mark>。"
