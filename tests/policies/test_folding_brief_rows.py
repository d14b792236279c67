"""Folding reposts on the list page fetches the hits below the page that folding may bring up; they are read
as brief rows (ranking.Brief) and loaded whole when they reach the page. The page must be what loading every
fetched hit whole gives: same policies, same order, same scores, each a full policy record."""

from __future__ import annotations

import pytest

from fazhi.policies import index, ranking
from fazhi.policies.models import Policy, Status
from fazhi.search import build

from .test_duplicates import NOTICE

COPIES = 36  # more than ranking.RERANK_DEPTH: the last copies and everything below them are brief rows


@pytest.fixture
def many_reposts(make_policy):
    """One notice posted COPIES times (one group), then three policies that hold less of the question."""
    copies = [
        make_policy(title=f"中小微企业房租减免通知（转载{n}）", full_text=NOTICE) for n in range(COPIES)
    ]
    others = [
        make_policy(title=f"第{n}号纾困措施", full_text=f"对小微企业第{n}项措施，房租按规定办理。")
        for n in range(3)
    ]
    build.rebuild("policies")
    assert len({Policy.objects.get(pk=c.pk).duplicate_of_id or c.pk for c in copies}) == 1
    return copies, others


def _everything_whole(monkeypatch):
    load = ranking.load_ranked
    monkeypatch.setattr(ranking, "load_ranked", lambda scored, whole: load(scored, len(scored)))


def _page(outcome):
    return [(type(p), p.pk, round(s, 9)) for p, s in outcome.hits]


@pytest.mark.parametrize("offset", [0, 1, 2])
def test_a_folded_page_is_the_same_as_with_every_hit_loaded_whole(many_reposts, monkeypatch, offset):
    copies, others = many_reposts
    question = "中小微企业房租减免"
    reached = []  # the rows the page is cut from, as read
    whole = ranking.whole
    monkeypatch.setattr(ranking, "whole", lambda hits: reached.extend(hits) or whole(hits))
    shown = index.search(question, limit=3, offset=offset, collapse=True)
    monkeypatch.undo()
    assert any(isinstance(p, ranking.Brief) for p, _ in reached)  # brief rows came up onto the page
    assert index.search(question, limit=100).total >= COPIES + 3  # every copy matches
    assert shown.collapsed == COPIES - 1
    pks = {p.pk for p, _ in shown.hits}
    assert pks <= {c.pk for c in copies} | {o.pk for o in others} and len(pks) == len(shown.hits)
    _everything_whole(monkeypatch)
    assert _page(shown) == _page(index.search(question, limit=3, offset=offset, collapse=True))
    assert all(type(p) is Policy for p, _ in shown.hits)  # no brief row reaches the page
    assert all(p.get_absolute_url() for p, _ in shown.hits)


def test_an_expired_copy_gives_its_place_to_a_copy_in_force_from_below_the_re_ranked_hits(
    many_reposts, monkeypatch
):
    copies, _ = many_reposts
    # Every copy but the newest (the lowest of equal scores: the older record ranks first) has expired.
    Policy.objects.filter(pk__in=[c.pk for c in copies[:-1]]).update(status=Status.EXPIRED)
    build.rebuild("policies")
    shown = index.search("中小微企业房租减免", limit=3, collapse=True)
    [entry] = [p for p, _ in shown.hits if p.pk in {c.pk for c in copies}]
    assert entry.pk == copies[-1].pk and type(entry) is Policy and not entry.is_inactive
    _everything_whole(monkeypatch)
    assert _page(shown) == _page(index.search("中小微企业房租减免", limit=3, collapse=True))
