"""The annual report draft: structure, figures with their sources, sections left to the writer."""

from __future__ import annotations

import io

from django.core.management import call_command
from docx import Document

from fazhi.reports import annual
from tests.reports.conftest import THIS


def text_of(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_command_writes_a_docx_with_the_headings_and_figures(tmp_path, drafts, exam_results):
    out = tmp_path / "report.docx"
    call_command(
        "report_annual", "--year", str(THIS), "--unit", "区财政局", "--output", str(out), stdout=io.StringIO()
    )
    paragraphs = text_of(out.read_bytes())
    joined = "\n".join(paragraphs)
    for heading in annual.HEADINGS:
        assert any(p.startswith(heading) for p in paragraphs), heading
    # Judgement sections are marked, 二 is filled from data.
    assert f"{annual.HEADINGS[0]}【待撰写】" in paragraphs
    assert f"{annual.HEADINGS[1]}" in paragraphs
    # Each figure with the previous year's value and the change (d5 and last year's exam are from then).
    assert "送审文稿：3件（上年 1件，增加 2件）。" in paragraphs
    assert "应审尽审率（审查后公布 ÷ 公布）：50%（上年 100%，下降 50 个百分点）。" in paragraphs
    assert "考试及格率：50%（上年 100%，下降 50 个百分点）。" in paragraphs
    # Each figure is followed by where it came from.
    i = paragraphs.index("送审文稿：3件（上年 1件，增加 2件）。")
    assert (
        paragraphs[i + 1] == f"〔数据来源：合法性审查台账（送审文稿），按首次提交日期，{THIS}年，共3条记录〕"
    )
    # Sections without records say so instead of inventing anything.
    assert f"平台中没有{THIS}年该项工作的记录。" in joined
    # 三 lists the facts the writer needs.
    after_problems = joined.split(annual.HEADINGS[2])[1]
    assert "超期审查：1件（上年 0件，增加 1件）。" in after_problems


def test_the_default_output_goes_under_var_reports(settings, tmp_path, db):
    settings.VAR_DIR = tmp_path
    call_command("report_annual", "--year", str(THIS), stdout=io.StringIO())
    files = list((tmp_path / "reports").glob("*.docx"))
    assert [f.name for f in files] == [f"区财政局{THIS}年法治政府建设工作报告（草稿）.docx"]


def test_the_dashboard_button_downloads_the_same_report(director, login, drafts):
    response = login(director).get(f"/reports/annual.docx?year={THIS}&unit=法规科")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    paragraphs = text_of(response.content)
    assert paragraphs[0] == f"法规科{THIS}年法治政府建设工作报告（草稿）"
    assert "送审文稿：2件（上年 1件，增加 1件）。" in paragraphs


def test_the_report_holds_no_staff_names(supervisor, login, exam_results):
    data = login(supervisor).get(f"/reports/annual.docx?year={THIS}").content
    joined = "\n".join(text_of(data))
    assert "执法人员占比" in joined
    for secret in ["张三丰", "李四光", "ZF-0001"]:
        assert secret not in joined


def test_a_series_line_drops_the_words_every_label_shares():
    months = ["1月末执法人员占比", "2月末执法人员占比", "12月7日执法人员占比"]
    assert annual.short_labels(months) == ["1月末", "2月末", "12月7日"]
    grades = ["绩效自评等级为“优”", "绩效自评等级为“良”", "绩效自评等级为“差”"]
    assert annual.short_labels(grades) == ["优", "良", "差"]


def test_a_shared_beginning_is_not_cut_inside_a_number_and_nothing_becomes_empty():
    # October to December share the leading "1" of the month: it stays.
    assert annual.short_labels(["10月末占比", "11月末占比", "12月7日占比"]) == ["10月末", "11月末", "12月7日"]
    # a label that is all shared words would become empty: every label is kept whole
    assert annual.short_labels(["占比", "1月末占比"]) == ["占比", "1月末占比"]
    # a shared ending that starts with a digit is part of the value, not a common word
    assert annual.short_labels(["甲2026", "乙2026"]) == ["甲2026", "乙2026"]
    assert annual.short_labels(["只有一项"]) == ["只有一项"]
