"""评分表 sent back unsaved: the refusal is about the whole sheet, not one score, so it is marked data-form-error
and form-errors.js puts the focus on it, to be read before the sheet (GB/T 37668-2019 / WCAG 3.3.1); a sheet
shown without a refusal marks nothing."""

from __future__ import annotations

import re

import pytest

from tests.bidding.test_scoring_window import ahead, form, seats  # noqa: F401 (a project not yet begun)

pytestmark = pytest.mark.django_db
REFUSAL = re.compile(r'<div class="bid-warning" role="alert" data-form-error>\s*<p class="error">未保存：')


def test_a_refused_sheet_marks_its_message_to_take_the_focus(login, ahead):  # noqa: F811
    project, committee = ahead
    client = login(seats(committee)[0].user)
    url = f"/bidding/projects/{project.pk}/score/"
    assert "data-form-error" not in client.get(url).content.decode()
    refused = client.post(url, form(project))
    assert refused.status_code == 400 and REFUSAL.search(refused.content.decode())
