"""The review home page lists every draft the drafter wrote, 50 a page (it used to stop at 100)."""

from __future__ import annotations

import re

from fazhi.review.views.drafts import MINE_PAGE_SIZE


def _titles(html: str) -> set[str]:
    return set(re.findall(r"合同审查\d{3}", html))


def test_the_drafters_own_drafts_are_paged(make_draft, clerk, login, outsider):
    for i in range(MINE_PAGE_SIZE + 5):
        make_draft(normative=False, title=f"合同审查{i:03d}")
    client = login(clerk)
    first = client.get("/review/").content.decode()
    second = client.get("/review/", {"page": 2}).content.decode()
    assert len(_titles(first)) == MINE_PAGE_SIZE and len(_titles(second)) == 5
    assert not _titles(first) & _titles(second)
    assert f"第 1 / 2 页，共 {MINE_PAGE_SIZE + 5} 件" in first
    assert "合同审查054" in first  # the newest first
    assert _titles(client.get("/review/", {"page": "abc"}).content.decode()) == _titles(first)
    assert login(outsider).get("/review/").status_code == 403
