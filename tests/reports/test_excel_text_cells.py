"""The report exports write text that looks like a formula as text."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

from openpyxl import load_workbook

from fazhi.reports import excel


def test_a_unit_name_that_looks_like_a_formula_is_stored_as_text():
    figure = SimpleNamespace(
        section="普法", label="=1+1", value=3, unit="项", source_description="@来源", basis_count=3,
        note="-备注", drilldown_url="/reports/", previous=None, comparison="",
    )  # fmt: skip
    collected = SimpleNamespace(
        ctx=SimpleNamespace(
            year=2026, unit="+区财政局", today=dt.date(2026, 1, 5), year_end=dt.date(2026, 1, 5)
        ),
        figures=[figure],
        unavailable=[],
    )
    wb = load_workbook(io.BytesIO(excel.figures_xlsx(collected)))
    cells = {c.value: c for c in wb["指标"][2]}
    assert all(cells[v].data_type == "s" for v in ("=1+1", "@来源", "-备注"))
    assert wb["说明"]["B2"].value == "+区财政局" and wb["说明"]["B2"].data_type == "s"
