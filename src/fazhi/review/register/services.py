"""发文登记簿 writes: validated entries (form, API, Excel import) and the link a publication makes.

Every write checks its input (the 文号 as at publication, `fazhi.review.numbering`; an issue day not in the
future; a known type; a title and unit) and refuses with a Chinese message that changes nothing. A 文号 is
used by one entry only (a database constraint keeps it so under concurrent writes), and a draft covers one
entry only (one approved review cannot mark several documents 已审查). Every publication, with or without a
文号, is registered; a 更正发文字号 is followed by the draft's own entry, and refused when the register holds
the new 文号 for another document. Each write goes to the audit chain as one event with its actor and a
comment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from fazhi.core import audit
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from fazhi.core.limits import check_length
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


@contextmanager
def about(name: str) -> Iterator[None]:
    """A DomainError raised inside names the field it is about (`exc.field`), unless it names one already."""
    try:
        yield
    except DomainError as exc:
        if not getattr(exc, "field", ""):
            exc.field = name  # type: ignore[attr-defined]
        raise


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
    """The entry's values checked and normalised; ValidationFailed says the first thing wrong (its `field`
    names the field, for the form to mark)."""
    with about("title"):
        title = " ".join(str(title or "").split())
        if not title:
            raise ValidationFailed("请填写文件标题。")
        check_length(title, "文件标题", MAX_TITLE)
    with about("unit"):
        unit = " ".join(str(unit or "").split())
        if not unit:
            raise ValidationFailed("请填写发文单位。")
        check_length(unit, "发文单位", MAX_UNIT, hint="请填写单位简称")
    with about("issued_on"):
        day = _issued_on(issued_on, review_selectors.today())
    with about("doc_type"):
        code = review_selectors.doc_type_from_input(str(doc_type or ""))
        if code is None:
            names = "、".join(label for _, label in DocType.choices)
            shown = f"“{str(doc_type)[:30]}”" if str(doc_type or "").strip() else ""
            raise ValidationFailed(
                f"文书类型{shown}无效，请填写：{names}。" if shown else f"请填写文书类型：{names}。"
            )
    with about("doc_number"):
        number = numbering.clean_doc_number(str(doc_number or ""), published_on=day)
    with about("exempt_reason"):
        reason = " ".join(str(exempt_reason or "").split())
        check_length(reason, "免审理由", MAX_REASON)
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


def _entry_label(entry: IssuedDocument) -> str:
    number = entry.doc_number or "无文号"
    return f"《{entry.title}》（{number}，登记编号 {entry.pk}）"


def check_draft_free(draft: Draft, *, exclude: int | None = None) -> None:
    """Conflict (409) when another register entry is linked to the draft already: one draft (one approved
    review) covers one outgoing document."""
    others = IssuedDocument.objects.filter(draft=draft)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.order_by("pk").first()
    if other is not None:
        raise Conflict(
            f"送审文稿《{draft.title}》（编号 {draft.pk}）已关联发文登记{_entry_label(other)}；一份送审文稿的"
            "审查只对应一件发文，不能再关联其他登记。如关联有误，请先在该条登记中取消关联。"
        )


def linked_draft(draft_id: Any, doc_number: str, *, exclude: int | None = None) -> Draft:
    """The draft an entry is linked to by hand: it exists, its 文号 (if any) is the entry's, and no other
    entry (than `exclude`, the entry being changed) is linked to it."""
    try:
        pk = int(str(draft_id).strip())
    except ValueError:
        raise ValidationFailed(f"送审文稿编号“{draft_id}”无效，应为台账中的编号（数字）。") from None
    draft = Draft.objects.filter(pk=pk).first()
    if draft is None:
        raise ValidationFailed(f"送审文稿 {pk} 不存在，请核对应审尽审台账中的编号。")
    _check_draft_number(draft, doc_number)
    check_draft_free(draft, exclude=exclude)
    return draft


def match_draft(doc_number: str, title: str, unit: str, *, exclude: int | None = None) -> Draft | None:
    """The draft that covered a document: the one published with its 文号, or — for a document without a
    文号 — the only draft with exactly its title and unit; none when that draft is linked to another entry
    already (than `exclude`)."""
    if doc_number:
        draft = Draft.objects.filter(doc_number=doc_number).first()
    else:
        found = list(Draft.objects.filter(title=title, unit=unit).order_by("pk")[:2])
        draft = found[0] if len(found) == 1 else None
    if draft is None:
        return None
    taken = IssuedDocument.objects.filter(draft=draft)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return None if taken.exists() else draft


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
        with about("doc_number"):
            check_unique(c.doc_number)
        with about("draft_id"):
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
        with about("doc_number"):
            check_unique(c.doc_number, exclude=entry.pk)
        if "draft_id" in changes:
            draft_id = changes["draft_id"]
            with about("draft_id"):
                entry.draft = (
                    None if draft_id in (None, "") else linked_draft(draft_id, c.doc_number, exclude=entry.pk)
                )
        elif entry.draft is not None:
            with about("doc_number"):
                _check_draft_number(entry.draft, c.doc_number)
        else:
            entry.draft = match_draft(c.doc_number, c.title, c.unit, exclude=entry.pk)
        for name, value in vars(c).items():
            setattr(entry, name, value)
        if audit.snapshot(entry) == before:
            return entry
        _save(entry)
        _record(
            entry, user=user, action="update", before=before, comment=f"发文登记簿：修改《{entry.title}》"
        )
    return entry


def _renumber(entry: IssuedDocument, number: str, *, user: Any, comment: str) -> None:
    before = audit.snapshot(entry)
    entry.doc_number = number
    _save(entry)
    _record(entry, user=user, action="update", before=before, comment=comment)


def own_entries(draft: Draft) -> list[IssuedDocument]:
    """The register entries linked to the draft (one, unless linked by hand before that was refused)."""
    return list(IssuedDocument.objects.select_for_update().filter(draft=draft).order_by("pk"))


def link_published(draft: Draft, *, user: Any) -> list[IssuedDocument]:
    """At publication: the draft's register entry. An entry already linked to the draft is kept (and takes
    the draft's 文号 when it has none and the register does not hold that 文号); otherwise the entry of the
    draft's 文号 — or, without a 文号, the first unlinked unnumbered entry with its exact title and unit — is
    linked, and one is created from the draft when there is none (with or without a 文号). Idempotent. Runs
    inside the publication's transaction."""
    if draft.published_on is None:
        return []
    own = own_entries(draft)
    if own:
        numbers = {e.doc_number for e in own}
        if (
            draft.doc_number
            and draft.doc_number not in numbers
            and "" in numbers
            and not IssuedDocument.objects.filter(doc_number=draft.doc_number).exists()
        ):
            entry = next(e for e in own if not e.doc_number)
            _renumber(
                entry,
                draft.doc_number,
                user=user,
                comment=f"发文登记簿：《{entry.title}》随送审文稿发布登记发文字号（{draft.doc_number}）",
            )
        return own
    if draft.doc_number:
        found = IssuedDocument.objects.select_for_update().filter(doc_number=draft.doc_number).first()
    else:
        found = (
            IssuedDocument.objects.select_for_update()
            .filter(doc_number="", draft__isnull=True, title=draft.title, unit=draft.unit)
            .order_by("pk")
            .first()
        )
    if found is None:
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
            comment=f"发文登记簿：《{entry.title}》发布时自动登记（{entry.doc_number or '无文号'}）",
        )
        return [entry]
    before = audit.snapshot(found)
    found.draft = draft
    _save(found)
    _record(
        found,
        user=user,
        action="update",
        before=before,
        comment=f"发文登记簿：《{found.title}》关联发布的送审文稿（{found.doc_number or '无文号'}）",
    )
    return [found]


def check_correction(draft: Draft, doc_number: str) -> None:
    """Before 更正发文字号: Conflict (409) when the register holds the new 文号 for an entry that is not the
    draft's own (another document's 文号 is not taken over, nor its entry linked to the draft)."""
    if not doc_number:
        return
    holder = IssuedDocument.objects.filter(doc_number=doc_number).first()
    if holder is not None and holder.draft_id != draft.pk:
        raise Conflict(
            f"发文字号“{doc_number}”已在发文登记簿中登记为另一份文件{_entry_label(holder)}，不能更正为该文号。"
            "请核对印发的正式文件；如登记簿中的那条登记有误，请先在发文登记簿中改正。"
        )


def follow_number_correction(draft: Draft, *, old_number: str, user: Any) -> None:
    """After 更正发文字号 (checked by `check_correction` first): the draft's own entry — found by its link,
    whatever its number — takes the new number (also a 文号 added to a draft published without one, or a
    文号 cleared); a draft without an entry gets one as at publication."""
    if old_number == draft.doc_number:
        return
    own = own_entries(draft)
    if not own:
        link_published(draft, user=user)
        return
    if any(e.doc_number == draft.doc_number for e in own):
        return
    entry = next((e for e in own if e.doc_number == old_number), own[0])
    _renumber(
        entry,
        draft.doc_number,
        user=user,
        comment=f"发文登记簿：随送审文稿更正发文字号（{entry.doc_number or '无文号'} → {draft.doc_number or '无文号'}）",
    )
