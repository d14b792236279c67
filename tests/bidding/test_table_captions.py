"""Every table on the 远程异地评标 pages has a caption (read out by a screen reader when it enters the table and
used to name its scrolling box on a phone): a page may hold several tables with the same columns (场地, 席位), and
without one they cannot be told apart (GB/T 37668-2019 / WCAG 1.3.1)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db
TABLE = re.compile(r"<table\b[^>]*>\s*(<caption\b[^>]*>([^<]*)</caption>)?")


def captions(html: str) -> list[str | None]:
    return [m.group(2).strip() if m.group(1) else None for m in TABLE.finditer(html)]


def test_each_table_on_the_buyers_pages_has_its_own_caption(drawn, pools, buyer, login):
    project, _ = drawn
    client = login(buyer)
    for path in ("/bidding/", "/bidding/rules/", "/bidding/pools/", f"/bidding/pools/{pools[0].pk}/",
                 f"/bidding/projects/{project.pk}/"):  # fmt: skip
        found = captions(client.get(path).content.decode())
        assert found and None not in found and "" not in found, (path, found)
        assert len(set(found)) == len(found), (path, found)
