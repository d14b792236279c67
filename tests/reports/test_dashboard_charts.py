"""The dashboard's chart data and filters: short slice names, and the year shown is the year selected."""

from __future__ import annotations

import json
import re

from tests.reports.conftest import THIS


def chart_data(html: str) -> dict[str, dict]:
    found = re.search(r'<script id="report-charts" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page embeds its chart data"
    return {c["id"]: c for c in json.loads(found.group(1))}


def test_pie_slices_and_series_points_are_named_by_what_tells_them_apart(login, director):
    html = login(director).get(f"/reports/?year={THIS}").content.decode()
    charts = chart_data(html)
    # Whole labels ("绩效自评等级为“优”") were cut to the same "绩效自评…" on a phone.
    assert charts["chart-performance.grade.1"]["labels"] == ["优", "良", "中", "差"]
    assert charts["chart-performance.key_grade.1"]["labels"] == ["优", "良", "中", "差"]
    monthly = next(c for c in charts.values() if c["kind"] == "line")
    assert monthly["labels"][0] == "1月末"
    # The table under each chart keeps the whole label.
    assert "绩效自评等级为“优”" in html


def test_an_older_year_typed_into_the_address_is_the_one_selected(login, director):
    year = THIS - 10
    html = login(director).get(f"/reports/?year={year}").content.decode()
    assert f"{year}年 · " in html
    selected = re.findall(r'<option value="(\d+)" selected>', html)
    assert selected == [str(year)]
