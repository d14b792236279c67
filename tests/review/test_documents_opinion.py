"""审查意见书 .docx in the 公文 layout the module claims (GB/T 9704-2012), read back with python-docx."""

from __future__ import annotations

import io

import docx
from django.test import Client
from docx.oxml.ns import qn

from fazhi.core.docx_text import text as docx_text
from fazhi.review import opinion_docx, opinions, services


def issued(reviewer, draft, conclusion_text: str):
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="写明上位法全称")
    opinions.set_conclusion_text(user=reviewer, draft_id=draft.pk, text=conclusion_text)
    services.transition(user=reviewer, draft_id=draft.pk, action="approve")
    return draft.opinions.get()


def test_the_opinion_is_an_a4_gongwen_with_page_numbers(reviewer, make_draft):
    opinion = issued(reviewer, make_draft("submitted"), "同意发布")
    document = docx.Document(io.BytesIO(opinion_docx.build(opinion)))
    section = document.sections[0]
    # GB/T 9704-2012 §5.2.1–5.2.2: A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    # §5.2.3 / §7.3.2: body 3号仿宋, title 2号小标宋.
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = next(p for p in document.paragraphs if p.text == "合法性审查意见书")
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    # §7.5: "— 1 —", odd pages right and even pages left.
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"
    assert "PAGE" in odd._element.xml and "PAGE" in even._element.xml
    assert (odd.alignment, even.alignment) == (2, 0)  # RIGHT, LEFT
    assert document.settings.odd_and_even_pages_header_footer


def test_the_conclusion_reads_as_sentences(reviewer, make_draft):
    opinion = issued(reviewer, make_draft("submitted"), "同意发布")
    assert "原则同意，请按审查意见修改。同意发布。\n" in docx_text(opinion_docx.build(opinion))


def test_an_outsider_cannot_download_the_opinion(outsider, reviewer, make_draft, token_for):
    draft = make_draft("submitted")
    issued(reviewer, draft, "同意发布")
    resp = Client().get(f"/api/v1/review/drafts/{draft.pk}/opinion.docx", headers=token_for(outsider))
    assert resp.status_code in (403, 404)


def test_a_second_round_opinion_says_what_became_of_the_first_rounds_findings(clerk, reviewer, make_draft):
    from tests.review.conftest import add_version

    draft = make_draft("submitted")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=2, text="写明上位法全称")
    opinions.add_finding(user=reviewer, draft_id=draft.pk, paragraph=4, text="删除纳税年限条件")
    services.transition(user=reviewer, draft_id=draft.pk, action="return", comment="请修改")
    first = draft.opinions.get()
    add_version(draft, clerk)
    services.transition(user=clerk, draft_id=draft.pk, action="submit")
    services.transition(user=reviewer, draft_id=draft.pk, action="start_review")
    one, two = first.findings.order_by("seq")
    opinions.resolve_finding(user=reviewer, draft_id=draft.pk, finding_id=one.pk, resolution="addressed")
    opinions.resolve_finding(
        user=reviewer,
        draft_id=draft.pk,
        finding_id=two.pk,
        resolution="not_addressed",
        note="起草单位说明理由",
    )
    services.transition(user=reviewer, draft_id=draft.pk, action="approve")
    second = draft.opinions.exclude(pk=first.pk).get()
    lines = [p.text for p in docx.Document(io.BytesIO(opinion_docx.build(second))).paragraphs]
    headings = [t for t in lines if t[:2] in ("一、", "二、", "三、")]
    assert headings == ["一、前次审查意见采纳情况", "二、审查意见", "三、审查结论"]
    assert f"{first.doc_number}意见（一）“写明上位法全称”：已采纳修改（第2稿核对）。" in lines
    assert f"{first.doc_number}意见（二）“删除纳税年限条件”：未采纳（第2稿核对），起草单位说明理由。" in lines
    # The first round's own opinion has nothing earlier to report.
    first_lines = [p.text for p in docx.Document(io.BytesIO(opinion_docx.build(first))).paragraphs]
    assert [t for t in first_lines if t[:2] in ("一、", "二、", "三、")] == ["一、审查意见", "二、审查结论"]
