"""The dashboard in Chromium: a unit with a very long name does not push the page wider than the window."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.browser


LONG_UNIT = "某" * 60 + "B" * 140  # about 200 characters, as one unit in the demo data


@pytest.fixture
def long_unit(transactional_db, clerk):
    from fazhi.review.models import Draft

    Draft.objects.create(title="长单位名称的文稿", doc_type="normative", unit=LONG_UNIT, drafter=clerk)


def test_the_unit_list_fits_the_window(page, live_server, director, long_unit):
    client = Client()
    client.force_login(director)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/reports/")
    assert page.locator("#r-unit option", has_text=LONG_UNIT[:10]).count() == 1
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
