"""合法性审查 API (/api/v1/review/): drafts, versions, transitions, opinions, the 应审尽审 ledger and (mounted
from `fazhi.review.register.api`) the 发文登记簿."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.downloads import download
from fazhi.core.errors import NotFound
from fazhi.core.permissions import api_auth_checked, api_auth_for, api_user
from fazhi.review import (
    diff,
    fair_competition,
    files,
    ledger,
    library,
    opinions,
    selectors,
    services,
    validity,
)
from fazhi.review.models import State
from fazhi.review.precheck.api import router as precheck_router
from fazhi.review.register.api import router as register_router
from fazhi.review.serialize import (
    XLSX,
    draft_detail,
    fair_review_dict,
    library_dict,
    opinion_response,
    precheck_dict,
    state_dict,
)

router = Router(tags=["合法性审查"])
router.add_router("", precheck_router)
router.add_router("", register_router)  # 发文登记簿: /register …
# Refused before the request is read: whoever is outside the workflow (each draft's own check stays), and
# whoever may not read the ledger.
draft_auth = api_auth_for(*selectors.WORKFLOW_ROLES, message=selectors.WORKFLOW_MESSAGE)
ledger_auth = api_auth_checked(ledger.require_reader)


class DraftIn(Schema):
    title: str
    doc_type: str
    is_normative: bool = False
    is_major: bool = False
    unit: str = ""
    due_date: dt.date | None = None
    # 涉及经营主体经济活动: publication then needs a 公平竞争审查 (POST .../fair-competition).
    affects_market: bool = False


class DraftStateOut(Schema):
    id: int
    state: str
    state_code: str


class VersionCreatedOut(DraftStateOut):
    version: int
    kind: str
    text_length: int
    precheck_findings: int


class DraftTransitionIn(Schema):
    action: str
    comment: str = ""
    # Publication only (统一编号): 发文字号 such as 阳财规〔2026〕1号 and the 签发人's name.
    doc_number: str = ""
    signed_by: str = ""
    # 备案 only: the day the document was filed, when recorded later (default today; not in the future, not
    # before the publication). The 按期备案率 counts it against the 备案期限.
    filed_on: dt.date | None = None


class PublicationCorrectionIn(Schema):
    # Both as they should read after the correction (an empty one clears it, where the type allows).
    doc_number: str
    signed_by: str
    reason: str


class ProcedureIn(Schema):
    step: str
    date: dt.date | None = None
    summary: str


class ValidityEvaluationIn(Schema):
    outcome: str
    evaluated_on: dt.date | None = None
    summary: str
    valid_until: dt.date | None = None


class FairReviewIn(Schema):
    conclusion: str
    reviewed_on: dt.date | None = None
    summary: str
    exception_ground: str = ""
    necessity: str = ""
    alternatives: str = ""
    ends_on: dt.date | None = None
    end_condition: str = ""


class FindingIn(Schema):
    paragraph: int
    text: str
    article_id: int | None = None
    article_ref: str = ""
    precheck_finding_id: int | None = None


class DismissIn(Schema):
    reason: str


class ResolutionIn(Schema):
    resolution: str
    note: str = ""


class ConclusionIn(Schema):
    text: str


class Error(Schema):
    detail: str


@router.get("/drafts", auth=draft_auth, summary="我可见的送审文稿")
def list_drafts(request: HttpRequest, state: str = "", limit: int = 100) -> list[dict[str, Any]]:
    qs = selectors.drafts_for(api_user(request))
    if state:
        qs = qs.filter(state__in=[c for c, label in State.choices if state in (c, label)])
    return [
        {**state_dict(d), "title": d.title, "doc_type_label": d.get_doc_type_display(), "unit": d.unit}
        for d in qs[: max(1, min(limit, 500))]
    ]


@router.post(
    "/drafts", auth=draft_auth, response={201: DraftStateOut, 400: Error, 403: Error}, summary="登记送审文稿"
)
def create_draft(request: HttpRequest, payload: DraftIn) -> Status[dict[str, Any]]:
    draft = services.create_draft(user=api_user(request), **payload.dict())
    return Status(201, state_dict(draft))


@router.post(
    "/drafts/{draft_id}/files",
    auth=draft_auth,
    response={201: VersionCreatedOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="上传文稿（.docx/.pdf/.txt，≤20 MB；每次上传产生新版本）",
)
def upload_file(
    request: HttpRequest,
    draft_id: int,
    file: UploadedFile = File(...),  # noqa: B008
    note: str = Form(""),
) -> Status[dict[str, Any]]:
    data = file.read(files.MAX_BYTES + 1)
    version = services.upload_version(
        user=api_user(request), draft_id=draft_id, name=file.name or "", data=data, note=note, size=file.size
    )
    draft = version.draft
    return Status(
        201,
        {
            **state_dict(draft),
            "version": version.number,
            "kind": version.kind,
            "text_length": len(version.text),
            "precheck_findings": version.precheck_findings.count(),
        },
    )


@router.post(
    "/drafts/{draft_id}/transitions",
    auth=draft_auth,
    response={200: DraftStateOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="流转：submit|start_review|return|approve|reject|publish|file|expire"
    "（发布时可登记 doc_number、signed_by；备案时可填写备案日期 filed_on，默认今天）",
)
def make_transition(request: HttpRequest, draft_id: int, payload: DraftTransitionIn) -> dict[str, Any]:
    draft = services.transition(user=api_user(request), draft_id=draft_id, **payload.dict())
    return state_dict(draft)


@router.post(
    "/drafts/{draft_id}/correct-number",
    auth=draft_auth,
    response={200: dict, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="更正发文字号/签发人（已发布的文件；须写明更正理由）",
)
def correct_number(request: HttpRequest, draft_id: int, payload: PublicationCorrectionIn) -> dict[str, Any]:
    """Whoever may publish the draft corrects the 发文字号 and 签发人 registered at publication, giving the
    `reason`; checked as at publication (409 when the number is another document's). Answers the draft as
    `GET /drafts/{id}` does, its history ending with the correction."""
    services.correct_publication(user=api_user(request), draft_id=draft_id, **payload.dict())
    return draft_detail(selectors.get_draft_for(api_user(request), draft_id))


@router.get("/drafts/{draft_id}", auth=draft_auth, summary="文稿详情（状态、版本、流转记录、意见书）")
def get_draft(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    return draft_detail(selectors.get_draft_for(api_user(request), draft_id))


@router.get(
    "/drafts/{draft_id}/versions/{number}/diff",
    auth=draft_auth,
    summary="与前一版本逐段对比及前次意见采纳情况",
)
def get_diff(request: HttpRequest, draft_id: int, number: int) -> dict[str, Any]:
    draft = selectors.get_draft_for(api_user(request), draft_id)
    new = draft.versions.filter(number=number).first()
    old = draft.versions.filter(number=number - 1).first()
    if new is None or old is None:
        raise NotFound(f"第{number}稿或其前一版本不存在。")
    old_p, new_p = old.paragraphs(), new.paragraphs()
    rows = [
        {
            "tag": r.tag,
            "old_paragraph": r.left_no,
            "new_paragraph": r.right_no,
            "old_text": old_p[r.left_no - 1] if r.left_no else "",
            "new_text": new_p[r.right_no - 1] if r.right_no else "",
        }
        for r in diff.side_by_side(old_p, new_p)
    ]
    earlier = [
        {
            "finding_id": e.finding.pk,
            "opinion": e.opinion.doc_number,
            "paragraph": e.finding.paragraph,
            "text": e.finding.text,
            "paragraph_changed": e.paragraph_changed,
            "resolution": e.finding.get_resolution_display(),
        }
        for e in selectors.earlier_findings(draft, new)
    ]
    return {"old": old.number, "new": new.number, "rows": rows, "earlier_findings": earlier}


@router.get("/drafts/{draft_id}/opinion.docx", auth=draft_auth, summary="审查意见书（Word）")
def get_opinion_docx(request: HttpRequest, draft_id: int) -> HttpResponse:
    return opinion_response(selectors.get_draft_for(api_user(request), draft_id))


@router.post("/drafts/{draft_id}/procedures", auth=draft_auth, response={201: dict}, summary="登记程序记录")
def add_procedure(request: HttpRequest, draft_id: int, payload: ProcedureIn) -> Status[dict[str, Any]]:
    record = services.add_procedure(user=api_user(request), draft_id=draft_id, **payload.dict())
    return Status(201, {"id": record.pk, "step": record.get_step_display(), "date": record.date})


@router.post(
    "/drafts/{draft_id}/fair-competition",
    auth=draft_auth,
    response={201: dict},
    summary="登记公平竞争审查结论",
)
def add_fair_review(request: HttpRequest, draft_id: int, payload: FairReviewIn) -> Status[dict[str, Any]]:
    """The drafter's 公平竞争审查 of the latest version: 不涉及经营主体经济活动 / 符合公平竞争审查标准 /
    适用例外规定 (then `exception_ground`, `necessity` (the reason the ground applies), `alternatives`, and
    `ends_on` or `end_condition` or both are required: Art 12's "实施期限或者终止条件")."""
    item = fair_competition.record(user=api_user(request), draft_id=draft_id, **payload.dict())
    return Status(201, fair_review_dict(item))


@router.post(
    "/drafts/{draft_id}/library",
    auth=draft_auth,
    response=dict,
    summary="重新载入法规库（法制审核员、分管领导）",
)
def retry_library(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    """Repeat a failed registration of a published normative document in the 法规库, or mark its library
    version 已失效 after the document expired; 409 when nothing is left to do or when it fails again."""
    draft = library.retry(user=api_user(request), draft_id=draft_id)
    return {"law_library": library_dict(draft), "law_library_error": draft.library_error}


@router.post(
    "/drafts/{draft_id}/validity-evaluations", auth=draft_auth, response={201: dict}, summary="登记有效期评估"
)
def add_validity_evaluation(
    request: HttpRequest, draft_id: int, payload: ValidityEvaluationIn
) -> Status[dict[str, Any]]:
    """继续施行 (with the new `valid_until`), 修改后重新发布 or 宣布失效 (the document expires)."""
    record = validity.evaluate(user=api_user(request), draft_id=draft_id, **payload.dict())
    draft = record.draft
    draft.refresh_from_db()
    return Status(
        201,
        {
            "id": record.pk,
            "outcome": record.get_outcome_display(),
            "valid_until": draft.valid_until,
            "state": draft.state,
            "state_label": draft.get_state_display(),
        },
    )


@router.post(
    "/drafts/{draft_id}/opinion/findings", auth=draft_auth, response={201: dict}, summary="添加审查意见"
)
def add_finding(request: HttpRequest, draft_id: int, payload: FindingIn) -> Status[dict[str, Any]]:
    item = opinions.add_finding(user=api_user(request), draft_id=draft_id, **payload.dict())
    return Status(201, {"id": item.pk, "seq": item.seq, "paragraph": item.paragraph, "text": item.text})


@router.delete(
    "/drafts/{draft_id}/opinion/findings/{finding_id}",
    auth=draft_auth,
    response={204: None},
    summary="删除审查意见条目",
)
def remove_finding(request: HttpRequest, draft_id: int, finding_id: int) -> Status[None]:
    opinions.remove_finding(user=api_user(request), draft_id=draft_id, finding_id=finding_id)
    return Status(204, None)


@router.put("/drafts/{draft_id}/opinion/conclusion", auth=draft_auth, summary="结论意见")
def set_conclusion(request: HttpRequest, draft_id: int, payload: ConclusionIn) -> dict[str, Any]:
    opinion = opinions.set_conclusion_text(user=api_user(request), draft_id=draft_id, text=payload.text)
    return {"id": opinion.pk, "conclusion_text": opinion.conclusion_text}


@router.post(
    "/drafts/{draft_id}/precheck-findings/{finding_id}/accept",
    auth=draft_auth,
    response={201: dict},
    summary="采纳自动预审发现为审查意见",
)
def accept_precheck(request: HttpRequest, draft_id: int, finding_id: int) -> Status[dict[str, Any]]:
    item = opinions.accept_precheck(user=api_user(request), draft_id=draft_id, finding_id=finding_id)
    return Status(201, {"id": item.pk, "seq": item.seq, "text": item.text})


@router.post(
    "/drafts/{draft_id}/precheck-findings/{finding_id}/dismiss",
    auth=draft_auth,
    summary="说明理由排除自动预审发现",
)
def dismiss_precheck(
    request: HttpRequest, draft_id: int, finding_id: int, payload: DismissIn
) -> dict[str, Any]:
    found = opinions.dismiss_precheck(
        user=api_user(request), draft_id=draft_id, finding_id=finding_id, reason=payload.reason
    )
    return precheck_dict(found)


@router.post(
    "/drafts/{draft_id}/findings/{finding_id}/resolution", auth=draft_auth, summary="核对前次意见采纳情况"
)
def resolve_finding(
    request: HttpRequest, draft_id: int, finding_id: int, payload: ResolutionIn
) -> dict[str, Any]:
    item = opinions.resolve_finding(
        user=api_user(request),
        draft_id=draft_id,
        finding_id=finding_id,
        resolution=payload.resolution,
        note=payload.note,
    )
    return {"id": item.pk, "resolution": item.get_resolution_display()}


def _ledger_filters(request: HttpRequest) -> ledger.LedgerFilters:
    ledger.require_reader(api_user(request))
    return ledger.filters_from_query(request.GET)


@router.get(
    "/ledger",
    auth=ledger_auth,
    summary="应审尽审台账（筛选：year, year_by=registered|published 按登记年度/按公布年度, unit, doc_type, state, overdue, q）",
    openapi_extra={
        "parameters": [
            {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
            for n in ledger.QUERY_PARAMETERS
        ]
    },
)
def get_ledger(request: HttpRequest) -> dict[str, Any]:
    """`year` reads the registration year unless `year_by=published` (the publication year); `statistics`
    count the same years (`year` null: not published) and `year_by_label` says which."""
    filters = _ledger_filters(request)
    items = ledger.rows(filters)
    return {
        "count": len(items),
        "year_by": filters.year_by,
        "year_by_label": ledger.YEAR_BASES[filters.year_by],
        "items": [vars(r) for r in items],
        "statistics": [vars(s) for s in ledger.statistics(items, year_by=filters.year_by)],
    }


@router.get("/ledger.xlsx", auth=ledger_auth, summary="应审尽审台账（Excel；筛选同上）")
def get_ledger_xlsx(request: HttpRequest) -> HttpResponse:
    filters = _ledger_filters(request)
    return download(ledger.xlsx(ledger.rows(filters), year_by=filters.year_by), "应审尽审台账.xlsx", XLSX)
