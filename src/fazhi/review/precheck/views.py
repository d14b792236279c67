"""起草自查 page: paste text or upload a .docx; the document is shown with its findings highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fazhi.core.errors import DomainError
from fazhi.core.permissions import role_required
from fazhi.review.precheck import engine, services
from fazhi.review.precheck.ruleset import FAMILY_NAMES


@dataclass
class Piece:
    text: str
    finding_numbers: list[int]  # empty: plain text
    severity: str = ""
    url: str = ""  # a resolved citation


def _pieces(
    paragraph: str, marks: list[tuple[int, int, int, str]], links: list[tuple[int, int, str]]
) -> list[Piece]:
    """Cut a paragraph at every finding and citation boundary; each piece knows what covers it."""
    cuts = {0, len(paragraph)}
    for s, e, _, _ in marks:
        cuts.update((s, e))
    for s, e, _ in links:
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(paragraph))
    order = {"高": 0, "中": 1, "低": 2}
    out: list[Piece] = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        covering = [(n, sev) for s, e, n, sev in marks if s <= a and b <= e]
        url = next((u for s, e, u in links if s <= a and b <= e), "")
        severity = min((sev for _, sev in covering), key=lambda x: order.get(x, 3), default="")
        out.append(Piece(paragraph[a:b], [n for n, _ in covering], severity, url))
    return out


def _document(report: engine.Report) -> list[dict]:
    rows = []
    for para in report.paragraphs:
        marks = [
            (f.start, f.end, i, f.severity)
            for i, f in enumerate(report.findings, 1)
            if f.paragraph == para.number and f.end > f.start
        ]
        links = [(c.start, c.end, c.url) for c in report.citations if c.paragraph == para.number]
        rows.append({"number": para.number, "pieces": _pieces(para.text, marks, links)})
    return rows


@role_required(*services.ALLOWED_ROLES)
def self_check(request: HttpRequest) -> HttpResponse:
    context: dict = {"doc_types": services.DOC_TYPES, "text": "", "doc_type": services.DOC_TYPES[0]}
    if request.method == "POST":
        text = request.POST.get("text", "")
        doc_type = request.POST.get("doc_type", "")
        upload = request.FILES.get("file")
        context.update(text=text, doc_type=doc_type)
        try:
            report = services.run_precheck(
                user=request.user,
                text=text,
                doc_type=doc_type,
                upload=upload.read() if upload is not None else None,
                upload_name=(upload.name or "") if upload is not None else "",
            )
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "precheck/self_check.html", context, status=400)
        counts = {sev: sum(1 for f in report.findings if f.severity == sev) for sev in ("高", "中", "低")}
        context.update(
            report=report,
            findings=[(i, f, FAMILY_NAMES.get(f.family, f.family)) for i, f in enumerate(report.findings, 1)],
            document=_document(report),
            counts=counts,
            checked=True,
        )
    return render(request, "precheck/self_check.html", context)
