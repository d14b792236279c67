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


def test_the_densest_passage_is_found_with_its_place_in_the_text():
    from fazhi.policies import learning

    text = "稳岗" + "甲" * 300 + "对稳岗返还和社保补贴予以支持" + "乙" * 50
    weight, start, end = learning.densest_window(text, {"稳岗": 1.0, "返还": 2.0, "补贴": 1.5})
    assert weight == 4.5
    assert text[start:end] == "稳岗返还和社保补贴"
    assert learning.densest_window("甲乙丙", {"稳岗": 1.0}) == (0.0, 0, 0)


def test_a_snippet_cut_at_the_rerankers_passage_shows_it_wherever_it_is():
    aq = index.analyze("稳岗返还补贴")
    text = "本通知自发布之日起施行。" * 600 + "对稳岗返还和社保补贴予以支持。" + "其他事项另行通知。" * 20
    assert len(text) > ranking.SNIPPET_SCAN + 200
    head = ranking.snippet(text, aq)  # the head scan never reaches the passage
    assert "<mark>" not in head
    from fazhi.policies import learning

    _, start, end = learning.densest_window(text, {b: 1.0 for b in aq.bigrams})
    out = ranking.snippet(text, aq, passage=(start, end))
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>稳岗返还</mark>" in out and "<mark>补贴</mark>" in out
    assert len(out.replace("<mark>", "").replace("</mark>", "")) <= 120 + 2


def test_the_search_api_snippet_shows_a_passage_past_the_head_scan(client, make_policy):
    from fazhi.search import build

    make_policy(
        title="关于做好当前就业工作的通知",
        full_text="本通知自发布之日起施行。" * 600
        + "对稳岗返还和社保补贴予以支持。"
        + "其他事项另行通知。" * 20,
    )
    build.rebuild("policies")
    body = client.get("/api/v1/policies/search", {"q": "稳岗返还补贴", "limit": 5}).json()
    assert body["results"], body
    snippet = body["results"][0]["snippet"]
    assert snippet.startswith("…") and "<mark>稳岗返还</mark>" in snippet and "<mark>补贴</mark>" in snippet
