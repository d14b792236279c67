"""合法性审查 writes: drafts, versions, procedure records and the state machine (see workflow.TABLE).

Opinion writes (findings, pre-check decisions) live in `opinions.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.permissions import has_role
from fazhi.core.services import notify, users_with_role
from fazhi.core.workdays import Calendar
from fazhi.review import files, opinions, periods, selectors, workflow
from fazhi.review.models import (
    DocType,
    Draft,
    DraftVersion,
    PrecheckFinding,
    ProcedureRecord,
    ProcedureStep,
    State,
    Transition,
)

log = logging.getLogger(__name__)

EDITABLE_STATES = (State.DRAFTING, State.RETURNED)
MAX_UNIT = 200  # Draft.unit max_length
# 征求意见 and the other steps usually happen while the text is drafted, often before the draft is registered
# here; a date more than a year before registration (1900-01-01, a wrong year) is taken for a typo.
PROCEDURE_LOOKBACK_DAYS = 366


def _lock(draft_id: int) -> Draft:
    draft = Draft.objects.select_for_update().filter(pk=draft_id).first()
    if draft is None:
        raise NotFound(f"送审文稿 {draft_id} 不存在。")
    return draft


def _require_owner_drafter(user: Any, draft: Draft, doing: str) -> None:
    if not has_role(user, roles.DRAFTER):
        raise PermissionDenied(f"只有起草人可以{doing}。")
    if not selectors.is_owner(user, draft):
        raise PermissionDenied(f"只有该文稿的起草人本人可以{doing}。")


def create_draft(
    *,
    user: Any,
    title: str,
    doc_type: str,
    unit: str = "",
    is_normative: bool = False,
    is_major: bool = False,
    due_date: dt.date | None = None,
    affects_market: bool = False,
) -> Draft:
    """Register a new draft (state 起草) for the drafter."""
    if not has_role(user, roles.DRAFTER):
        raise PermissionDenied("只有起草人可以新建送审文稿。")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("请填写文稿标题。")
    if len(title) > 300:
        raise ValidationFailed("文稿标题不能超过 300 个字。")
    code = selectors.doc_type_from_input(doc_type)
    if code is None:
        names = "、".join(label for _, label in DocType.choices)
        raise ValidationFailed(f"文书类型“{doc_type}”无效，可选：{names}。")
    unit = (unit or "").strip() or (getattr(user, "department", "") or "").strip()
    if not unit:
        raise ValidationFailed("请填写起草单位。")
    if len(unit) > MAX_UNIT:
        raise ValidationFailed(f"起草单位不能超过 {MAX_UNIT} 个字（现为 {len(unit)} 个字），请填写单位简称。")
    if due_date is not None and due_date < selectors.today():
        raise ValidationFailed("要求完成日期不能早于今天。")
    draft = Draft.objects.create(
        title=title,
        doc_type=code,
        is_normative=bool(is_normative) or code == DocType.NORMATIVE,
        is_major=bool(is_major) or code == DocType.MAJOR_DECISION,
        unit=unit,
        drafter=user,
        due_date=due_date,
        affects_market=bool(affects_market),
    )
    return draft


def upload_version(*, user: Any, draft_id: int, name: str, data: bytes, note: str = "") -> DraftVersion:
    """Store a new version of the draft from an uploaded file and run the pre-check on its text."""
    extracted = files.extract(name, data)  # refuses before anything is stored
    stored: list[str] = []  # the file written to storage, removed again if the version is not kept
    try:
        return _store_version(
            user=user, draft_id=draft_id, name=name, data=data, note=note, extracted=extracted, stored=stored
        )
    except BaseException:
        # A refusal after the file was written (a second upload took the same number, the database
        # failed, the transaction rolled back): the row is gone, so the file must not stay behind.
        for stored_name in stored:
            _delete_stored_file(stored_name)
        raise


def _delete_stored_file(name: str) -> None:
    storage = DraftVersion._meta.get_field("file").storage  # type: ignore[union-attr]
    try:
        storage.delete(name)
    except OSError:
        log.warning("无法删除未保存版本的上传文件：%s", name, exc_info=True)


def _store_version(
    *,
    user: Any,
    draft_id: int,
    name: str,
    data: bytes,
    note: str,
    extracted: files.Extracted,
    stored: list[str],
) -> DraftVersion:
    """The locked, checked part of `upload_version`; records in `stored` the file it writes."""
    with transaction.atomic():
        draft = _lock(draft_id)
        _require_owner_drafter(user, draft, "上传文稿")
        if draft.state not in EDITABLE_STATES:
            raise Conflict(
                f"文稿当前状态为“{draft.get_state_display()}”，只有“起草”或“退回修改”状态可以上传新版本。"
            )
        digest = hashlib.sha256(data).hexdigest()
        latest = draft.versions.order_by("-number").only("number", "sha256").first()
        if latest is not None and latest.sha256 == digest:
            # A double click or a resent form uploads the same file again: one version is enough.
            raise Conflict(
                f"该文件与第{latest.number}稿完全相同，已经上传过，请勿重复提交；如需修改，请上传修改后的文稿。"
            )
        number = (latest.number if latest else 0) + 1
        version = DraftVersion(
            draft=draft,
            number=number,
            original_name=name[:255],
            kind=extracted.kind,
            size=len(data),
            sha256=digest,
            text=extracted.text,
            note=(note or "").strip()[:500],
            uploaded_by=user,
        )
        version.file.save(f"draft{draft.pk}-v{number}.{extracted.kind}", ContentFile(data), save=False)
        stored.append(str(version.file.name))
        version.save()
        run_precheck(version)
    return version


def run_precheck(version: DraftVersion) -> int:
    """Run the automated pre-check on a version and store its findings; returns how many were stored.

    A failing pre-check never blocks the upload: the error is kept on the version for the reviewer.
    """
    from fazhi.review.precheck.engine import check

    try:
        with transaction.atomic():
            found = check(version.text, version.draft.get_doc_type_display())
            known = {
                (f.rule_id, f.paragraph, f.start, f.quote)
                for f in version.precheck_findings.exclude(decision=PrecheckFinding.Decision.OPEN)
            }
            version.precheck_findings.filter(decision=PrecheckFinding.Decision.OPEN).delete()
            rows = [
                PrecheckFinding(
                    version=version,
                    rule_id=f.rule_id[:60],
                    family=f.family[:20],
                    severity=f.severity[:10],
                    paragraph=max(int(f.paragraph), 0),
                    start=max(int(f.start), 0),
                    end=max(int(f.end), 0),
                    quote=f.quote,
                    message=f.message,
                    basis=f.basis,
                    suggestion=f.suggestion,
                    basis_url=(f.basis_url or "")[:500],
                )
                for f in found
                if (f.rule_id, f.paragraph, f.start, f.quote) not in known
            ]
            PrecheckFinding.objects.bulk_create(rows)
    except Exception as exc:  # the pre-check is another team's pipeline; keep the upload working
        log.exception("precheck failed for version %s", version.pk)
        version.precheck_error = f"自动预审未能完成（{type(exc).__name__}），请人工审查。"[:300]
        version.save(update_fields=["precheck_error"])
        return 0
    if version.precheck_error:
        version.precheck_error = ""
        version.save(update_fields=["precheck_error"])
    return len(rows)


def rerun_precheck(*, user: Any, draft_id: int) -> int:
    """Run the pre-check again on the latest version (after the rules changed)."""
    if not has_role(user, roles.REVIEWER, roles.DRAFTER):
        raise PermissionDenied("只有起草人或法制审核员可以重新预审。")
    draft = selectors.get_draft_for(user, draft_id)
    version = selectors.latest_version(draft)
    if version is None:
        raise Conflict("该文稿尚未上传任何版本，无法预审。")
    return run_precheck(version)


def add_procedure(
    *, user: Any, draft_id: int, step: str, date: dt.date | None, summary: str
) -> ProcedureRecord:
    """Record a 征求意见 / 评估论证 / 集体审议 step of a normative document."""
    valid = {code for code, _ in ProcedureStep.choices} | {label for _, label in ProcedureStep.choices}
    if step not in valid:
        names = "、".join(label for _, label in ProcedureStep.choices)
        raise ValidationFailed(f"程序环节“{step}”无效，可选：{names}。")
    code = next(c for c, label in ProcedureStep.choices if step in (c, label))
    if date is None:
        raise ValidationFailed("请填写该程序环节的日期。")
    if date > selectors.today():
        raise ValidationFailed("程序环节的日期不能晚于今天。")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed("请填写情况说明（如征求意见的范围、方式和采纳情况）。")
    with transaction.atomic():
        draft = _lock(draft_id)
        _require_owner_drafter(user, draft, "登记程序记录")
        if not draft.needs_procedure:
            raise Conflict("只有行政规范性文件需要登记征求意见、评估论证和集体审议记录。")
        if draft.state in (State.PUBLISHED, State.FILED, State.EXPIRED, State.REJECTED):
            raise Conflict(f"文稿当前状态为“{draft.get_state_display()}”，不能再登记程序记录。")
        registered = timezone.localdate(draft.created_at)
        earliest = registered - dt.timedelta(days=PROCEDURE_LOOKBACK_DAYS)
        if date < earliest:
            raise ValidationFailed(
                f"程序环节的日期（{cn_date(date)}）早于文稿登记日期（{cn_date(registered)}）一年以上，"
                f"最早可登记{cn_date(earliest)}，请核对日期。"
            )
        if draft.state == State.APPROVED and draft.decided_at is not None:
            problem = _out_of_order(code, date, timezone.localdate(draft.decided_at))
            if problem:
                raise ValidationFailed(problem)
        if draft.procedures.filter(step=code, date=date, summary=summary).exists():
            raise Conflict("已登记相同的程序记录（环节、日期和情况说明都相同），请勿重复提交。")
        return ProcedureRecord.objects.create(
            draft=draft, step=code, date=date, summary=summary, recorded_by=user
        )


# The order of DOMAIN.md (国办发〔2018〕37号): 征求意见 and 评估论证 before the 合法性审核, 集体审议 after it.
BEFORE_REVIEW = (ProcedureStep.CONSULTATION, ProcedureStep.ASSESSMENT)


def _out_of_order(step: str, day: dt.date, approved: dt.date) -> str:
    """Why a step dated `day` cannot belong to a draft that passed the 合法性审核 on `approved` ("" if it can)."""
    label = ProcedureStep(step).label
    if step in BEFORE_REVIEW and day > approved:
        return (
            f"{label}应在合法性审核之前完成：该文稿已于{cn_date(approved)}审查通过，"
            f"{label}日期（{cn_date(day)}）不能晚于审查通过之日。"
            "审查通过后再征求意见或评估论证、文稿因此修改的，应重新送审。"
        )
    if step == ProcedureStep.DELIBERATION and day < approved:
        return (
            f"集体审议应在合法性审核通过之后进行：该文稿于{cn_date(approved)}审查通过，"
            f"集体审议日期（{cn_date(day)}）不能早于审查通过之日。"
        )
    return ""


def procedure_order_problems(draft: Draft) -> list[str]:
    """For a draft that passed review: each step none of whose records is in its place in the order."""
    if not draft.needs_procedure or draft.state != State.APPROVED or draft.decided_at is None:
        return []
    approved = timezone.localdate(draft.decided_at)
    dates: dict[str, list[dt.date]] = {}
    for step, day in draft.procedures.values_list("step", "date"):
        dates.setdefault(step, []).append(day)
    problems = []
    for step, days in dates.items():
        # One record in its place is enough (a step may be recorded again, e.g. a second round of 征求意见).
        if all(_out_of_order(step, day, approved) for day in days):
            chosen = min(days) if step in BEFORE_REVIEW else max(days)
            problems.append(_out_of_order(step, chosen, approved))
    return problems


def missing_procedures(draft: Draft) -> list[str]:
    if not draft.needs_procedure:
        return []
    done = set(draft.procedures.values_list("step", flat=True))
    return [label for code, label in ProcedureStep.choices if code not in done]


def _acts_as(user: Any, draft: Draft, allowed: set[str]) -> bool:
    for role in allowed:
        if role == roles.DRAFTER:
            if has_role(user, roles.DRAFTER) and selectors.is_owner(user, draft):
                return True
        elif has_role(user, role):
            return True
    return False


def _guard(draft: Draft, action: str, comment: str) -> None:
    """State-dependent conditions beyond the table: raise Conflict (409) or ValidationFailed (400)."""
    if action == "submit":
        latest = selectors.latest_version(draft)
        if latest is None:
            raise Conflict("尚未上传文稿，请先上传文稿（.docx/.pdf/.txt）再提交审查。")
        if draft.state == State.RETURNED and latest.number <= draft.returned_version:
            raise Conflict("文稿退回修改后尚未上传修改稿，请先上传新版本再重新提交。")
    elif action == "return":
        opinion = selectors.open_opinion(draft)
        if not comment and not (opinion and opinion.findings.exists()):
            raise ValidationFailed("退回修改须填写审查意见或退回理由。")
    elif action == "approve":
        # Every automated finding on the version under review is decided (accepted or dismissed with a
        # reason) before the review passes: the decisions are the record that each one was looked at.
        latest = selectors.latest_version(draft)
        count = (
            latest.precheck_findings.filter(decision=PrecheckFinding.Decision.OPEN).count() if latest else 0
        )
        if latest is not None and count:
            raise Conflict(
                f"第{latest.number}稿尚有 {count} 条自动预审发现待处理，"
                "请逐条采纳为审查意见或说明理由排除后，再作出审查通过结论。"
            )
    elif action == "reject":
        if not comment:
            raise ValidationFailed("作出不予通过结论须填写理由。")
    elif action == "publish":
        missing = missing_procedures(draft)
        if missing:
            raise Conflict(
                f"行政规范性文件发布前须完成征求意见、评估论证和集体审议，尚缺：{'、'.join(missing)}。"
            )
        problems = procedure_order_problems(draft)
        if problems:
            raise Conflict("程序顺序不符，不能发布：" + "".join(problems))
    if action == "publish":
        fair = selectors.fair_competition_problem(draft)
        if fair:
            raise Conflict(fair)
    elif action == "file" and not draft.needs_procedure:
        raise Conflict("只有行政规范性文件需要报送备案。")


def _apply(draft: Draft, rule: workflow.Rule, user: Any, comment: str) -> None:
    now = timezone.now()
    day = timezone.localdate(now)
    type_rule = selectors.doc_type_rule(draft.doc_type)
    if rule.action == "submit":
        calendar = Calendar.load()
        draft.submitted_at = draft.submitted_at or now
        draft.round_submitted_at = now
        draft.review_deadline = calendar.add(day, type_rule.review_days)
        draft.outcome = ""
    elif rule.action == "start_review":
        if has_role(user, roles.REVIEWER):
            draft.reviewer = user
    elif rule.action in ("return", "approve", "reject"):
        calendar = Calendar.load()
        if draft.round_submitted_at:
            start = timezone.localtime(draft.round_submitted_at).date()
            draft.review_days_used += calendar.between(start, day)
        if draft.review_deadline and day > draft.review_deadline:
            draft.late_rounds += 1
        draft.round_submitted_at = None
        if rule.action == "return":
            latest = selectors.latest_version(draft)
            draft.returned_version = latest.number if latest else 0
        else:
            draft.decided_at = now
            draft.outcome = State(rule.target).label
        opinions.issue(draft=draft, user=user, action=rule.action, comment=comment)
    elif rule.action == "publish":
        draft.published_on = day
        if draft.needs_procedure:
            draft.filing_deadline = day + dt.timedelta(days=type_rule.filing_days)
            latest = selectors.latest_version(draft)
            draft.valid_until = periods.valid_until(
                latest.text if latest else "", day, type_rule.validity_years
            )
    elif rule.action == "file":
        draft.filed_on = day
    elif rule.action == "expire":
        draft.expired_on = day


def _notify_after(draft: Draft, rule: workflow.Rule, user: Any) -> None:
    url = draft.get_absolute_url()
    label = workflow.ACTION_LABELS[rule.action]
    if rule.action == "submit":
        for person in users_with_role(roles.REVIEWER):
            notify(
                recipient=person,
                title=f"新送审文稿：《{draft.title}》",
                body=f"{draft.unit}报送，审查期限 {draft.review_deadline}。",
                url=url,
                category="review",
            )
    elif rule.action in ("return", "approve", "reject"):
        notify(
            recipient=draft.drafter,
            title=f"《{draft.title}》审查结果：{State(rule.target).label}",
            body=f"{user} {label}。",
            url=url,
            category="review",
        )
    if draft.state == State.IN_REVIEW and draft.is_major and rule.action == "start_review":
        for person in users_with_role(roles.LEADER):
            notify(
                recipient=person,
                title=f"重大事项送审：《{draft.title}》",
                body="该文稿标记为重大，审查结论须分管领导签批。",
                url=url,
                category="review",
            )


def log_transition(
    draft: Draft, action: str, before: str, actor: Any, comment: str, *, audit_comment: str = ""
) -> None:
    """Record a state change the draft has just made (before → draft.state) in its history and the audit
    chain; `actor` None is the system's own step (a lapsed validity period)."""
    Transition.objects.create(
        draft=draft, action=action, from_state=before, to_state=draft.state, actor=actor, comment=comment
    )
    audit.record(
        action="transition",
        obj=draft,
        comment=audit_comment or comment,
        before={"state": State(before).label},
        after={"state": State(draft.state).label, "action": action},
        actor=actor,
    )


def transition(*, user: Any, draft_id: int, action: str, comment: str = "") -> Draft:
    """Move the draft along the table: 403 if the role may not, 409 if not from this state."""
    action = (action or "").strip()
    action = workflow.ACTION_CODES.get(action, action)  # the Chinese name of an action works too
    if action not in workflow.ACTION_LABELS:
        names = "、".join(workflow.ACTION_LABELS.values())
        raise ValidationFailed(f"未知的操作“{action}”，可执行的操作有：{names}。")
    comment = (comment or "").strip()
    if len(comment) > 5000:
        raise ValidationFailed("意见说明不能超过 5000 字。")
    with transaction.atomic():
        draft = _lock(draft_id)
        label = workflow.ACTION_LABELS[action]
        allowed = workflow.roles_for(action, is_major=draft.is_major)
        if not _acts_as(user, draft, allowed):
            who = "、".join(sorted(allowed))
            extra = "（该文稿标记为重大，须分管领导签批）" if draft.is_major and action == "approve" else ""
            if (
                roles.DRAFTER in allowed
                and has_role(user, roles.DRAFTER)
                and not selectors.is_owner(user, draft)
            ):
                raise PermissionDenied(f"只有该文稿的起草人本人可以执行“{label}”。")
            raise PermissionDenied(f"您无权执行“{label}”操作，该操作只能由{who}执行{extra}。")
        rule = workflow.find(action, draft.state, is_major=draft.is_major)
        if rule is None:
            raise Conflict(
                f"文稿当前状态为“{draft.get_state_display()}”，不能执行“{label}”：{workflow.NOT_FROM_STATE[action]}。"
            )
        _guard(draft, action, comment)
        before = draft.state
        _apply(draft, rule, user, comment)
        draft.state = rule.target
        draft.save()
        log_transition(draft, action, before, user, comment, audit_comment=comment or label)
        _notify_after(draft, rule, user)
    return draft
