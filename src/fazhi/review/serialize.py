"""JSON and file representations of a draft shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from fazhi.core.downloads import download
from fazhi.core.errors import NotFound
from fazhi.review import opinion_docx, selectors, services
from fazhi.review.models import Draft, FairCompetitionReview

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def state_dict(draft: Draft) -> dict[str, Any]:
    return {"id": draft.pk, "state": draft.get_state_display(), "state_code": draft.state}


def precheck_dict(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "rule_id": f.rule_id,
        "family": f.family,
        "severity": f.severity,
        "paragraph": f.paragraph,
        "start": f.start,
        "end": f.end,
        "quote": f.quote,
        "message": f.message,
        "basis": f.basis,
        "suggestion": f.suggestion,
        "basis_url": f.basis_url,
        "decision": f.get_decision_display(),
        "dismiss_reason": f.dismiss_reason,
    }


def draft_detail(draft: Draft) -> dict[str, Any]:
    """Everything the reviewer needs about a draft, as JSON."""
    versions = []
    for v in draft.versions.order_by("number").prefetch_related("precheck_findings"):
        versions.append(
            {
                "number": v.number,
                "filename": v.original_name,
                "kind": v.kind,
                "size": v.size,
                "sha256": v.sha256,
                "note": v.note,
                "uploaded_by": str(v.uploaded_by),
                "created_at": v.created_at,
                "text_length": len(v.text),
                "precheck_error": v.precheck_error,
                "precheck_findings": [precheck_dict(f) for f in v.precheck_findings.all()],
            }
        )
    history = [
        {
            "at": t.at,
            "actor": t.actor_name,
            "action": t.action,
            "action_label": t.action_label,
            "from": t.get_from_state_display(),
            "to": t.get_to_state_display(),
            "comment": t.comment,
        }
        for t in draft.transitions.select_related("actor").order_by("at", "pk")
    ]
    opinion_list = []
    for o in draft.opinions.select_related("version", "reviewer", "signed_by").prefetch_related("findings"):
        opinion_list.append(
            {
                "id": o.pk,
                "doc_number": o.doc_number,
                "version": o.version.number,
                "reviewer": str(o.reviewer),
                "signed_by": str(o.signed_by) if o.signed_by_id else None,
                "conclusion": o.get_conclusion_display() if o.conclusion else "",
                "conclusion_text": o.conclusion_text,
                "issued_at": o.issued_at,
                "findings": [
                    {
                        "id": f.pk,
                        "seq": f.seq,
                        "paragraph": f.paragraph,
                        "text": f.text,
                        "article_id": f.article_id,
                        "precheck_finding_id": f.precheck_finding_id,
                        "resolution": f.get_resolution_display(),
                    }
                    for f in o.findings.all()
                ],
            }
        )
    return {
        **state_dict(draft),
        "title": draft.title,
        "doc_type": draft.doc_type,
        "doc_type_label": draft.get_doc_type_display(),
        "is_normative": draft.needs_procedure,
        "is_major": draft.is_major,
        "unit": draft.unit,
        "drafter": str(draft.drafter),
        "reviewer": str(draft.reviewer) if draft.reviewer_id else None,
        "due_date": draft.due_date,
        "review_deadline": draft.review_deadline,
        "days_in_review": selectors.days_in_review(draft),
        "overdue": selectors.is_overdue(draft),
        "outcome": draft.outcome,
        "published_on": draft.published_on,
        "effective_on": draft.effective_on,
        "doc_number": draft.doc_number,
        "signed_by": draft.signed_by,
        "filing_deadline": draft.filing_deadline,
        "filed_on": draft.filed_on,
        "valid_until": draft.valid_until,
        "law_library": library_dict(draft),
        "law_library_error": draft.library_error,
        "missing_procedures": services.missing_procedures(draft),
        "procedures": [
            {"step": p.get_step_display(), "date": p.date, "summary": p.summary}
            for p in draft.procedures.order_by("date", "pk")
        ],
        "procedure_order_problems": services.procedure_order_problems(draft),
        "affects_market": draft.affects_market,
        "fair_competition_problem": selectors.fair_competition_problem(draft),
        "fair_competition_reviews": [
            fair_review_dict(r)
            for r in draft.fair_reviews.select_related("recorded_by").order_by("reviewed_on", "pk")
        ],
        "validity_evaluations": [
            {
                "id": e.pk,
                "outcome": e.get_outcome_display(),
                "evaluated_on": e.evaluated_on,
                "summary": e.summary,
                "valid_until_before": e.valid_until_before,
                "valid_until_after": e.valid_until_after,
                "recorded_by": str(e.recorded_by),
            }
            for e in draft.evaluations.select_related("recorded_by").order_by("evaluated_on", "pk")
        ],
        "versions": versions,
        "history": history,
        "opinions": opinion_list,
    }


def library_dict(draft: Draft) -> dict[str, Any] | None:
    """The 法规库 entry a published normative document became, or None."""
    version = draft.law_version if draft.law_version_id else None
    if version is None:
        return None
    return {
        "law_id": version.law_id,
        "version_id": version.pk,
        "title": version.law.title,
        "status": version.get_status_display(),
        "status_code": version.status,
        "url": version.get_absolute_url(),
    }


def fair_review_dict(item: FairCompetitionReview) -> dict[str, Any]:
    return {
        "id": item.pk,
        "version": item.version_number,
        "conclusion": item.get_conclusion_display(),
        "reviewed_on": item.reviewed_on,
        "summary": item.summary,
        "exception_ground": item.get_exception_ground_display() if item.exception_ground else "",
        "necessity": item.necessity,
        "alternatives": item.alternatives,
        "ends_on": item.ends_on,
        "end_condition": item.end_condition,
        "recorded_by": str(item.recorded_by),
    }


def opinion_response(draft: Draft) -> HttpResponse:
    opinion = selectors.latest_issued_opinion(draft)
    if opinion is not None and opinion.document:
        with opinion.document.open("rb") as fh:
            data = fh.read()
    else:
        opinion = selectors.open_opinion(draft)
        if opinion is None:
            raise NotFound("该文稿尚未形成审查意见书。")
        data = opinion_docx.build(opinion)
    name = f"审查意见书-{opinion.doc_number or '草稿'}-{draft.title[:40]}.docx"
    return download(data, name, DOCX)
