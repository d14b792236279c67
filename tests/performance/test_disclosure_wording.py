"""The unit page cites 《预算法》第十四条 for what it says: publication within 20 days of the approval. The
article says nothing of performance information or of a deadline moved past a day off, so neither is put
under its citation."""

from __future__ import annotations

from fazhi.performance.models import ScoringConfig


def _sentence(html: str) -> str:
    start = html.index("预算和决算均在批复后")
    return html[start : html.index("</p>", start)]


def test_the_article_is_cited_for_the_twenty_days_only(unit, director, login):
    text = _sentence(login(director).get(f"/performance/manage/units/{unit.pk}/").content.decode())
    assert text == "预算和决算均在批复后 20 日内公开（《预算法》第十四条）；公开时附绩效信息。"


def test_the_roll_forward_is_stated_outside_the_citation(unit, director, login):
    ScoringConfig.objects.update(disclosure_rolls_forward=True)
    text = _sentence(login(director).get(f"/performance/manage/units/{unit.pk}/").content.decode())
    assert text == (
        "预算和决算均在批复后 20 日内公开（《预算法》第十四条），"
        "期限末日逢法定节假日或周末的顺延至其后第一个工作日；公开时附绩效信息。"
    )
