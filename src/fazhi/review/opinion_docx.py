"""审查意见书 as a Word document in the 党政机关公文 layout (GB/T 9704-2012, see fazhi.core.docx_layout):
A4 with the standard margins, 小标宋 title, 仿宋 body, 黑体 层次标题, page numbers "— 1 —".

Title, 文号, the document under review, numbered findings, conclusion, reviewer (and the leader who signed), date.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from fazhi.core import docx_layout
from fazhi.core.dates import cn_date
from fazhi.core.numerals import int_to_cn
from fazhi.review.models import OpinionFinding, ReviewOpinion

TITLE_FONT = docx_layout.TITLE_FONT
BODY_FONT = docx_layout.BODY_FONT
HEADING_FONT = docx_layout.HEADING_FONT


def issuer_name() -> str:
    return str(settings.FAZHI_ORG_NAME)


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: int = 16, bold: bool = False):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    docx_layout.set_font(run, font, size, bold=bold)
    return run


def _sentence(text: str) -> str:
    """The text as a sentence ending in 。 (unless it already ends a sentence); "" stays empty."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；…”）)" else text + "。"


def _earlier_findings(opinion: ReviewOpinion) -> list[str]:
    """One line per finding of the draft's earlier issued opinions, with how it was taken up in the text this
    opinion is on (采纳情况 as the reviewer recorded it, 待核对 when not yet checked): a later round's opinion
    says what became of the first round's, not only what it finds itself."""
    earlier = (
        OpinionFinding.objects.filter(opinion__draft_id=opinion.draft_id, opinion__issued_at__isnull=False)
        .exclude(opinion_id=opinion.pk)
        .filter(opinion__created_at__lt=opinion.created_at)
        .select_related("opinion", "resolved_in")
        .order_by("opinion__created_at", "seq")
    )
    lines = []
    for finding in earlier:
        source = finding.opinion.doc_number or "前次意见书"
        state = finding.get_resolution_display()
        if finding.resolved_in is not None and finding.resolution != OpinionFinding.Resolution.PENDING:
            state += f"（第{finding.resolved_in.number}稿核对）"
        note = f"，{finding.resolution_note}" if finding.resolution_note else ""
        line = f"{source}意见（{int_to_cn(finding.seq)}）“{finding.text}”：{state}{note}"
        lines.append(line if line.endswith("。") else line + "。")
    return lines


def build(opinion: ReviewOpinion) -> bytes:
    """The .docx bytes of the opinion (unissued opinions are marked 草稿)."""
    draft = opinion.draft
    doc = Document()
    docx_layout.gongwen(doc)

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, issuer_name(), font=TITLE_FONT, size=22)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "合法性审查意见书", font=TITLE_FONT, size=22)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, opinion.doc_number or "（草稿，尚未出具）")

    p = doc.add_paragraph()
    _run(p, f"{draft.unit}：")
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _run(
        p,
        f"你单位报送的《{draft.title}》（{draft.get_doc_type_display()}，第{opinion.version.number}稿）"
        f"收悉。根据合法性审查有关规定，我们对该文件进行了审查，现提出意见如下：",
    )

    earlier = _earlier_findings(opinion)
    headings = iter(["一", "二", "三"])
    if earlier:
        p = doc.add_paragraph()
        _run(p, f"{next(headings)}、前次审查意见采纳情况", font=HEADING_FONT)
        for line in earlier:
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            _run(p, line)

    p = doc.add_paragraph()
    _run(p, f"{next(headings)}、审查意见", font=HEADING_FONT)
    findings = list(opinion.findings.select_related("article", "article__law").order_by("seq"))
    if not findings:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        _run(p, "经审查，未发现需要修改的问题。")
    for number, finding in enumerate(findings, start=1):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        text = f"（{int_to_cn(number)}）第{finding.paragraph}段：{finding.text}"
        if finding.article_id and finding.article is not None:
            text += f"（依据：《{finding.article.law.title}》{finding.article.label}）"
        _run(p, text)

    p = doc.add_paragraph()
    _run(p, f"{next(headings)}、审查结论", font=HEADING_FONT)
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    conclusion = opinion.get_conclusion_display() if opinion.conclusion else "（尚未作出结论）"
    _run(p, _sentence(conclusion) + _sentence(opinion.conclusion_text))

    doc.add_paragraph()
    for label, person in (("审查人", opinion.reviewer), ("签批领导", opinion.signed_by)):
        if person is None:
            continue
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(p, f"{label}：{person}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(p, issuer_name())
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    when = timezone.localtime(opinion.issued_at).date() if opinion.issued_at else timezone.localdate()
    _run(p, cn_date(when))

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
