"""发文登记簿 writes: validated entries (form, API, Excel import) and the link a publication makes.

Every write checks its input (the 文号 as at publication, `fazhi.review.numbering`; an issue day not in the
future; a known type; a title and unit) and refuses with a Chinese message that changes nothing. A 文号 is
used by one entry only (a database constraint keeps it so under concurrent writes). Each write goes to the
audit chain as one event with its actor and a comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from fazhi.core import audit
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, NotFound, ValidationFailed
from fazhi.core.spreadsheets import cell_date
from fazhi.review import numbering
from fazhi.review import selectors as review_selectors
from fazhi.review.models import DocType, Draft, IssuedDocument, RegisterSource
from fazhi.review.register import selectors

MAX_TITLE = 300
MAX_UNIT = 200
MAX_REASON = 300
EARLIEST = dt.date(1949, 10, 1)
FIELDS = ("doc_number", "title", "unit", "issued_on", "doc_type", "exempt_reason")
DUPLICATE = "发文字号“{number}”已在发文登记簿中登记（《{title}》），同一文号不得重复登记，请核对后重新填写。"


@dataclass
class Cleaned:
    doc_number: str
    title: str
    unit: str
    issued_on: dt.date
    doc_type: str
    exempt_reason: str


def _issued_on(value: Any, today: dt.date) -> dt.date:
    if value in (None, ""):
        raise ValidationFailed("请填写印发日期（年-月-日，如 2026-03-01）。")
    day = value if isinstance(value, dt.date) else cell_date(value)
    if isinstance(day, dt.datetime):
        day = day.date()
    if day is None:
        raise ValidationFailed(f"印发日期“{str(value)[:30]}”无法识别，请写成 年-月-日（如 2026-03-01）。")
    if day > today:
        raise ValidationFailed(
            f"印发日期（{cn_date(day)}）晚于今天（{cn_date(today)}），发文登记簿只登记已印发的文件，请核对日期。"
        )
    if day < EARLIEST:
        raise ValidationFailed(f"印发日期（{day.isoformat()}）不合理，请核对年份。")
    return day


def clean(
    *,
    doc_number: Any = "",
    title: Any = "",
    unit: Any = "",
    issued_on: Any = None,
    doc_type: Any = "",
    exempt_reason: Any = "",
    required: set[str] | None = None,
) -> Cleaned:
    """The entry's values checked and normalised; ValidationFailed says the first thing wrong."""
    title = " ".join(str(title or "").split())
    if not title:
        raise ValidationFailed("请填写文件标题。")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"文件标题不能超过 {MAX_TITLE} 个字（现为 {len(title)} 个字）。")
    unit = " ".join(str(unit or "").split())
    if not unit:
        raise ValidationFailed("请填写发文单位。")
    if len(unit) > MAX_UNIT:
        raise ValidationFailed(f"发文单位不能超过 {MAX_UNIT} 个字（现为 {len(unit)} 个字），请填写单位简称。")
    day = _issued_on(issued_on, review_selectors.today())
    code = review_selectors.doc_type_from_input(str(doc_type or ""))
    if code is None:
        names = "、".join(label for _, label in DocType.choices)
        shown = f"“{str(doc_type)[:30]}”" if str(doc_type or "").strip() else ""
        raise ValidationFailed(
            f"文书类型{shown}无效，请填写：{names}。" if shown else f"请填写文书类型：{names}。"
        )
    number = numbering.clean_doc_number(str(doc_number or ""), published_on=day)
    reason = " ".join(str(exempt_reason or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationFailed(f"免审理由不能超过 {MAX_REASON} 个字。")
    if reason and code not in (required if required is not None else selectors.review_required_types()):
        raise ValidationFailed(
            f"{DocType(code).label}不属于须经合法性审查的文书类型，无须填写免审理由（请删去免审理由或核对文书类型）。"
        )
    return Cleaned(number, title, unit, day, code, reason)


def check_unique(doc_number: str, *, exclude: int | None = None) -> None:
    """Conflict (409) when another register entry holds the 文号."""
    if not doc_number:
        return
    others = IssuedDocument.objects.filter(doc_number=doc_number)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.first()
    if other is not None:
        raise Conflict(DUPLICATE.format(number=doc_number, title=other.title))


def _check_draft_number(draft: Draft, doc_number: str) -> None:
    if draft.doc_number and doc_number and draft.doc_number != doc_number:
        raise ValidationFailed(
            f"所选送审文稿《{draft.title}》发布时登记的发文字号为“{draft.doc_number}”，与本条的“{doc_number}”"
            "不一致，请核对后再关联。"
        )


def linked_draft(draft_id: Any, doc_number: str) -> Draft:
    """The draft an entry is linked to by hand: it exists, and its 文号 (if any) is the entry's."""
    try:
        pk = int(str(draft_id).strip())
    except ValueError:
        raise ValidationFailed(f"送审文稿编号“{draft_id}”无效，应为台账中的编号（数字）。") from None
    draft = Draft.objects.filter(pk=pk).first()
    if draft is None:
        raise ValidationFailed(f"送审文稿 {pk} 不存在，请核对应审尽审台账中的编号。")
    _check_draft_number(draft, doc_number)
    return draft


def match_draft(doc_number: str, title: str, unit: str) -> Draft | None:
    """The draft that covered a document: the one published with its 文号, or — for a document without a
    文号 — the only draft with exactly its title and unit."""
    if doc_number:
        return Draft.objects.filter(doc_number=doc_number).first()
    found = list(Draft.objects.filter(title=title, unit=unit).order_by("pk")[:2])
    return found[0] if len(found) == 1 else None


def _record(entry: IssuedDocument, *, user: Any, action: str, before: dict | None, comment: str) -> None:
    after = audit.snapshot(entry)
    if before is not None:
        changed = sorted(k for k in after if before.get(k) != after.get(k))
        before, after = {k: before.get(k) for k in changed}, {k: after[k] for k in changed}
    audit.record(action=action, obj=entry, before=before, after=after, actor=user, comment=comment)


def _save(entry: IssuedDocument) -> None:
    """Save within a savepoint: the constraint may still catch a 文号 registered a moment ago."""
    try:
        with transaction.atomic(), audit.suspended():
            entry.save()
    except IntegrityError as exc:
        if entry.doc_number and "doc_number" in str(exc):
            raise Conflict(DUPLICATE.format(number=entry.doc_number, title="另一份文件")) from exc
        raise


def create_entry(
    *,
    user: Any,
    title: str,
    unit: str,
    issued_on: dt.date | str | None,
    doc_type: str,
    doc_number: str = "",
    exempt_reason: str = "",
    draft_id: int | str | None = None,
) -> IssuedDocument:
    """登记 one outgoing document; without `draft_id` it is linked to the draft that matches (see `match_draft`)."""
    selectors.require_writer(user)
    c = clean(
        doc_number=doc_number,
        title=title,
        unit=unit,
        issued_on=issued_on,
        doc_type=doc_type,
        exempt_reason=exempt_reason,
    )
    with transaction.atomic():
        check_unique(c.doc_number)
        draft = (
            linked_draft(draft_id, c.doc_number)
            if draft_id not in (None, "")
            else match_draft(c.doc_number, c.title, c.unit)
        )
        entry = IssuedDocument(**vars(c), draft=draft, registered_by=user, source=RegisterSource.MANUAL)
        _save(entry)
        _record(entry, user=user, action="create", before=None, comment=f"发文登记簿：登记《{entry.title}》")
    return entry


def update_entry(*, user: Any, entry_id: int, **changes: Any) -> IssuedDocument:
    """Change the given fields of an entry (`draft_id` None unlinks it); an unlinked entry whose 文号, title or
    unit changed is matched to a draft again."""
    selectors.require_writer(user)
    unknown = sorted(set(changes) - {*FIELDS, "draft_id"})
    if unknown:
        raise ValidationFailed(f"不能修改的项目：{'、'.join(unknown)}。")
    with transaction.atomic():
        entry = IssuedDocument.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise NotFound(f"发文登记 {entry_id} 不存在。")
        before = audit.snapshot(entry)
        values = {name: changes.get(name, getattr(entry, name)) for name in FIELDS}
        c = clean(**values)
        check_unique(c.doc_number, exclude=entry.pk)
        if "draft_id" in changes:
            draft_id = changes["draft_id"]
            entry.draft = None if draft_id in (None, "") else linked_draft(draft_id, c.doc_number)
        elif entry.draft is not None:
            _check_draft_number(entry.draft, c.doc_number)
        else:
            entry.draft = match_draft(c.doc_number, c.title, c.unit)
        for name, value in vars(c).items():
            setattr(entry, name, value)
        if audit.snapshot(entry) == before:
            return entry
        _save(entry)
        _record(
            entry, user=user, action="update", before=before, comment=f"发文登记簿：修改《{entry.title}》"
        )
    return entry


def link_published(draft: Draft, *, user: Any) -> list[IssuedDocument]:
    """At publication: the register entries of the draft's 文号 are linked to it (one is created from the
    draft when there is none); without a 文号, the unlinked unnumbered entries with its exact title and unit.
    Idempotent. Runs inside the publication's transaction."""
    if draft.published_on is None:
        return []
    if draft.doc_number:
        found = list(IssuedDocument.objects.select_for_update().filter(doc_number=draft.doc_number))
    else:
        found = list(
            IssuedDocument.objects.select_for_update().filter(
                doc_number="", draft__isnull=True, title=draft.title, unit=draft.unit
            )
        )
    if not found and draft.doc_number:
        entry = IssuedDocument(
            doc_number=draft.doc_number,
            title=draft.title[:MAX_TITLE],
            unit=draft.unit[:MAX_UNIT],
            issued_on=draft.published_on,
            doc_type=draft.doc_type,
            draft=draft,
            registered_by=user,
            source=RegisterSource.PUBLISH,
        )
        _save(entry)
        _record(
            entry,
            user=user,
            action="create",
            before=None,
            comment=f"发文登记簿：《{entry.title}》发布时自动登记（{entry.doc_number}）",
        )
        return [entry]
    for entry in found:
        if entry.draft_id == draft.pk:
            continue
        before = audit.snapshot(entry)
        entry.draft = draft
        _save(entry)
        _record(
            entry,
            user=user,
            action="update",
            before=before,
            comment=f"发文登记簿：《{entry.title}》关联发布的送审文稿（{entry.doc_number or '无文号'}）",
        )
    return found


def follow_number_correction(draft: Draft, *, old_number: str, user: Any) -> None:
    """After 更正发文字号: the entry registered under the old number for this draft takes the new one (unless
    the register holds the new number already, which is then linked)."""
    if old_number == draft.doc_number:
        return
    old = IssuedDocument.objects.select_for_update().filter(doc_number=old_number, draft=draft).first()
    taken = IssuedDocument.objects.filter(doc_number=draft.doc_number).exists()
    if old_number and old is not None and draft.doc_number and not taken:
        before = audit.snapshot(old)
        old.doc_number = draft.doc_number
        _save(old)
        _record(
            old,
            user=user,
            action="update",
            before=before,
            comment=f"发文登记簿：随送审文稿更正发文字号（{old_number} → {draft.doc_number}）",
        )
        return
    link_published(draft, user=user)
