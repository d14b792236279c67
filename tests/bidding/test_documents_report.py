"""评标报告 .docx: A4 with "第 N 页 共 M 页" on every page, and no section left as a bare heading or table."""

from __future__ import annotations

import io

import pytest
from docx import Document

from fazhi.bidding.report import build_report
from fazhi.core.docx_text import lines


@pytest.mark.django_db
def test_a_project_without_committee_or_bidders_says_so_in_each_section(make_project):
    data = build_report(make_project())
    text = lines(data)
    assert "没有参与评分的投标人（尚未录入投标人，或均未通过资格性和符合性审查），不计算价格分。" in text
    assert "尚未组建评标委员会，暂无评委评分。" in text
    assert "没有可排序的投标人。" in text
    assert not any("评标基准价为 0.00 元" in line for line in text)
    document = Document(io.BytesIO(data))
    assert all(len(table.rows) > 1 for table in document.tables)  # no table with a header row only
    assert [line for line in text if line.startswith("中小企业政策")] == [
        "中小企业政策 | 小微企业价格扣除（价格扣除 10%）"
    ]


@pytest.mark.django_db
def test_the_report_is_a4_and_numbers_its_pages(drawn):
    project, _ = drawn
    section = Document(io.BytesIO(build_report(project))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer.paragraphs[0]
    assert footer.text == "第 1 页 共 1 页"
    assert "NUMPAGES" in footer._element.xml and "PAGE" in footer._element.xml


@pytest.mark.django_db
def test_an_outsider_cannot_download_the_report(login, outsider, drawn):
    project, _ = drawn
    assert login(outsider).get(f"/bidding/projects/{project.pk}/report.docx").status_code == 403
