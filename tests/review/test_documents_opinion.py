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
