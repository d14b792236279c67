"""The policy export writes typed text that looks like a formula as text."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from fazhi.policies import excel
from fazhi.policies.models import Policy


def test_a_title_that_looks_like_a_formula_is_stored_as_text(db):
    Policy.objects.create(title="=1+1", issuer="@区财政局")
    row = list(load_workbook(io.BytesIO(excel.export(Policy.objects.all()))).active.iter_rows(min_row=2))[0]
    cells = {c.value: c for c in row}
    assert cells["=1+1"].data_type == "s" and cells["@区财政局"].data_type == "s"
