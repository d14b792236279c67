"""合法性审查 draft writes: registering a draft, uploading its versions and running the pre-check on them."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from fazhi.core import roles
from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from fazhi.core.limits import check_field, length_problem
from fazhi.core.permissions import has_role
from fazhi.review import files, selectors
from fazhi.review.models import DocType, Draft, DraftVersion, PrecheckFinding, State

log = logging.getLogger(__name__)

EDITABLE_STATES = (State.DRAFTING, State.RETURNED)
MAX_TITLE = 300  # Draft.title max_length
MAX_UNIT = 200  # Draft.unit max_length
FILE_NAME_HINT = "请将文件改名后重新上传"


def _invalid(field: str, message: str) -> ValidationFailed:
    """A refusal that names the form field it is about (`exc.field`), so the form can mark that field."""
    exc = ValidationFailed(message)
    exc.field = field  # type: ignore[attr-defined]
    return exc


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
        raise _invalid("title", "请填写文稿标题。")
    if problem := length_problem(title, "文稿标题", MAX_TITLE):
        raise _invalid("title", problem + "。")
    code = selectors.doc_type_from_input(doc_type)
    if code is None:
        names = "、".join(label for _, label in DocType.choices)
        raise _invalid("doc_type", f"文书类型“{doc_type}”无效，可选：{names}。")
    unit = (unit or "").strip() or (getattr(user, "department", "") or "").strip()
    if not unit:
        raise _invalid("unit", "请填写起草单位。")
    if problem := length_problem(unit, "起草单位", MAX_UNIT, hint="请填写单位简称"):
        raise _invalid("unit", problem + "。")
    if due_date is not None and due_date < selectors.today():
        raise _invalid("due_date", "要求完成日期不能早于今天。")
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


def upload_version(
    *, user: Any, draft_id: int, name: str, data: bytes, note: str = "", size: int | None = None
) -> DraftVersion:
    """Store a new version of the draft from an uploaded file and run the pre-check on its text.

    `size`: the upload's full size when `data` was read only up to the limit.
    """
    note = check_field((note or "").strip(), DraftVersion, "note")  # over its 500 characters: refused
    # The name is kept as the record of what was sent (原文件名): refused over its 255 characters, never cut.
    # (A browser's or an API client's upload reaches here within them: Django shortens a longer name on
    # receipt, keeping the extension; this holds for every other caller.)
    name = check_field(name, DraftVersion, "original_name", "文件名", hint=FILE_NAME_HINT)
    extracted = files.extract(name, data, size=size)  # refuses before anything is stored
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
            original_name=name,
            kind=extracted.kind,
            size=len(data),
            sha256=digest,
            text=extracted.text,
            note=note,
            uploaded_by=user,
        )
        version.file.save(f"draft{draft.pk}-v{number}.{extracted.kind}", ContentFile(data), save=False)
        stored.append(str(version.file.name))
        version.save()
        run_precheck(version)
    return version


# What tells one finding from another across runs: a finding still found keeps its row (and its id, which a
# reviewer's open page may be about to accept or dismiss); one decided before is not found again.
def _finding_key(rule_id: str, paragraph: int, start: int, quote: str) -> tuple[str, int, int, str]:
    return (rule_id[:60], max(int(paragraph), 0), max(int(start), 0), quote)


# The texts of a stored finding a changed rule may have reworded.
_FINDING_TEXTS = ("family", "severity", "end", "message", "basis", "suggestion", "basis_url")


def run_precheck(version: DraftVersion) -> int:
    """Run the automated pre-check on a version and store its findings; returns how many new ones were stored.

    The procedure steps recorded on the draft count as well (征求意见 recorded → no FORM-CONSULT). A re-run
    replaces only the findings still open: those found again keep their row, those no longer found go, and
    the reviewers' decisions (采纳/排除) stay as they are. A failing pre-check never blocks the upload: the
    error is kept on the version for the reviewer.
    """
    from fazhi.review.precheck.engine import check

    try:
        with transaction.atomic():
            draft = version.draft
            found = check(
                version.text,
                draft.get_doc_type_display(),
                procedures=draft.procedures.values_list("step", flat=True),
            )
            decided = {
                _finding_key(f.rule_id, f.paragraph, f.start, f.quote)
                for f in version.precheck_findings.exclude(decision=PrecheckFinding.Decision.OPEN)
            }
            still_open = {
                _finding_key(f.rule_id, f.paragraph, f.start, f.quote): f
                for f in version.precheck_findings.filter(decision=PrecheckFinding.Decision.OPEN)
            }
            new: dict[tuple[str, int, int, str], PrecheckFinding] = {}
            for f in found:
                key = _finding_key(f.rule_id, f.paragraph, f.start, f.quote)
                if key in decided or key in new:
                    continue
                row = PrecheckFinding(
                    version=version,
                    rule_id=key[0],
                    family=f.family[:20],
                    severity=f.severity[:10],
                    paragraph=key[1],
                    start=key[2],
                    end=max(int(f.end), 0),
                    quote=f.quote,
                    message=f.message,
                    basis=f.basis,
                    suggestion=f.suggestion,
                    basis_url=(f.basis_url or "")[:500],
                )
                new[key] = row
            kept = [still_open[key] for key in new if key in still_open]
            gone = [row.pk for key, row in still_open.items() if key not in new]
            PrecheckFinding.objects.filter(pk__in=gone).delete()
            changed = []
            for row in kept:
                fresh = new.pop(_finding_key(row.rule_id, row.paragraph, row.start, row.quote))
                if any(getattr(row, name) != getattr(fresh, name) for name in _FINDING_TEXTS):
                    for name in _FINDING_TEXTS:
                        setattr(row, name, getattr(fresh, name))
                    changed.append(row)
            if changed:
                PrecheckFinding.objects.bulk_update(changed, _FINDING_TEXTS)
            PrecheckFinding.objects.bulk_create(list(new.values()))
    except Exception as exc:  # the pre-check is another team's pipeline; keep the upload working
        log.exception("precheck failed for version %s", version.pk)
        version.precheck_error = f"自动预审未能完成（{type(exc).__name__}），请人工审查。"[:300]
        version.save(update_fields=["precheck_error"])
        return 0
    if version.precheck_error:
        version.precheck_error = ""
        version.save(update_fields=["precheck_error"])
    return len(new)


# A change of the recorded procedure steps re-runs the pre-check only while the findings are still being
# worked on: once a conclusion is reached every finding was decided, and new ones (from rules changed since)
# must not reopen a concluded review or hold up a publication.
PRECHECK_FOLLOWS_STATES = (State.DRAFTING, State.RETURNED, State.SUBMITTED, State.IN_REVIEW)


def precheck_after_procedures(draft: Draft) -> None:
    """The recorded procedure steps changed: run the pre-check again on the latest version, so that a finding
    a recorded step satisfies (FORM-CONSULT by 征求意见) is gone without pressing 重新预审."""
    if draft.state not in PRECHECK_FOLLOWS_STATES:
        return
    version = selectors.latest_version(draft)
    if version is not None:
        run_precheck(version)


def rerun_precheck(*, user: Any, draft_id: int) -> int:
    """Run the pre-check again on the latest version (after the rules changed)."""
    if not has_role(user, roles.REVIEWER, roles.DRAFTER):
        raise PermissionDenied("只有起草人或法制审核员可以重新预审。")
    draft = selectors.get_draft_for(user, draft_id)
    version = selectors.latest_version(draft)
    if version is None:
        raise Conflict("该文稿尚未上传任何版本，无法预审。")
    return run_precheck(version)
