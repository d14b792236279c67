"""Every page loads the submit-once and form-errors scripts from base.html (once each), and shows the government-site footer
(国办发〔2017〕47号《政府网站发展指引》) with the lines that are configured."""

from __future__ import annotations

from pathlib import Path

import pytest

import fazhi

# A form is sent once (submit-once.js); a form sent back with errors focuses its first wrong field
# (form-errors.js, tests/core/test_accessibility_pages.py).
SCRIPTS = ["js/submit-once.js", "js/form-errors.js"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_script_is_on_every_page_exactly_once(client, login, clerk, script):
    for page in (client.get("/accounts/login/"), client.get("/"), login(clerk).get("/review/new/")):
        assert page.status_code == 200
        assert page.content.decode().count(script) == 1


@pytest.mark.parametrize("script", SCRIPTS)
def test_no_template_but_base_includes_the_script_itself(script):
    root = Path(fazhi.__file__).parent
    including = sorted(
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if script in path.read_text()
    )
    assert including == ["core/templates/base.html"]


def test_an_unconfigured_footer_shows_no_empty_lines(client, db):
    page = client.get("/").content.decode()
    for label in ("主办单位", "联系方式", "网站标识码", "beian.miit.gov.cn", "beian.mps.gov.cn"):
        assert label not in page


def test_the_configured_footer_names_owner_contact_and_records(client, db, settings):
    settings.FAZHI_SITE_OWNER = "某区财政局"
    settings.FAZHI_CONTACT = "010-12345678"
    settings.FAZHI_SITE_CODE = "1101050001"
    settings.FAZHI_ICP = "京ICP备12345678号-1"
    settings.FAZHI_PSB_RECORD = "京公网安备11010502030143号"
    page = client.get("/laws/").content.decode()
    footer = page[page.index('<footer class="site-footer"') :]
    assert "主办单位：某区财政局 · 联系方式：010-12345678" in footer
    assert "网站标识码：1101050001" in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">京ICP备12345678号-1</a>' in footer
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143"' in footer
    assert "京公网安备11010502030143号</a>" in footer
    # A link only: nothing is loaded from the record systems.
    assert "<img" not in footer and "<script" not in footer.split("</footer>")[0]


def test_only_the_configured_lines_appear(client, db, settings):
    settings.FAZHI_ICP = "京ICP备12345678号"
    footer = client.get("/").content.decode().split('<footer class="site-footer"')[1]
    assert "京ICP备12345678号" in footer and "主办单位" not in footer and "公网安备" not in footer
