"""The editors' list of 普法 posts shows every post, 50 a page (it used to stop at 200)."""

from __future__ import annotations

import re

from fazhi.publicity.models import Post
from fazhi.publicity.views import MANAGE_PAGE_SIZE


def _titles(html: str) -> set[str]:
    return set(re.findall(r"普法稿件\d{3}", html))


def test_the_editors_list_is_paged(clerk, login, outsider):
    Post.objects.bulk_create(
        Post(title=f"普法稿件{i:03d}", body="<p>正文</p>") for i in range(MANAGE_PAGE_SIZE + 3)
    )
    client = login(clerk)
    first = client.get("/publicity/manage/").content.decode()
    second = client.get("/publicity/manage/", {"page": 2}).content.decode()
    assert len(_titles(first)) == MANAGE_PAGE_SIZE and len(_titles(second)) == 3
    assert not _titles(first) & _titles(second)
    assert f"第 1 / 2 页，共 {MANAGE_PAGE_SIZE + 3} 篇" in first
    assert login(outsider).get("/publicity/manage/").status_code == 403
