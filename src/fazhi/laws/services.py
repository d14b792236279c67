"""法规库 writes: every rule and every write lives here.

- `import_laws(path=…)`: the shared data files (bulk; see fazhi.laws.importer).
- `add_law_from_text(...)`: an administrator adds a law (or a new version of one) by pasting text
  or uploading .docx/.txt; the text is parsed into a version with its articles and indexed.
- `correct_status(...)`: an administrator corrects a version's status with a required reason (audited).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import filetype
from django.db import transaction

from fazhi.core import audit, roles
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.permissions import require_role
from fazhi.laws import importer
from fazhi.laws.citations import normalize_title
from fazhi.laws.models import Article, Law, LawVersion, Level, Status
from fazhi.laws.parsing import ParsedLaw, decode_text, docx_text, parse_plain
from fazhi.search import outbox

EDITOR_ROLES = (roles.SYSADMIN, roles.REVIEWER)
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000


def import_laws(*, path: str | Path | None = None, progress: Any = None) -> importer.ImportReport:
    """Import the shared law files (idempotent); PATH is a directory or one file."""
    try:
        paths = importer.resolve_paths(path)
    except FileNotFoundError as exc:
        raise ValidationFailed(str(exc)) from exc
    return importer.import_files(paths, progress=progress)


def text_from_upload(*, name: str, data: bytes) -> str:
    """The text of an uploaded .docx or .txt, checked by content (not by the file name)."""
    if not data:
        raise ValidationFailed("上传的文件是空的。")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed("上传的文件超过 10 MB。")
    kind = filetype.guess(data)
    if data[:4] == b"PK\x03\x04":
        try:
            return docx_text(data)
        except ValueError as exc:
            raise ValidationFailed(f"无法读取 {name}：{exc}。") from exc
    if kind is not None or b"\x00" in data[:4096]:
        raise ValidationFailed(f"{name} 不是 .docx 或 .txt 文本文件。")
    if name.lower().endswith(".docx"):
        # Named .docx but not a zip: a damaged or renamed file, never read as plain text.
        raise ValidationFailed(
            f"{name} 不是有效的 .docx 文件，请在 Word 中另存为 .docx 后重新上传，或粘贴全文。"
        )
    try:
        return decode_text(data)
    except ValueError as exc:
        raise ValidationFailed(f"无法读取 {name}：{exc}。") from exc


def _check_parsed(parsed: ParsedLaw) -> None:
    if not parsed.title:
        raise ValidationFailed("请填写法规标题（或让文本的第一行为标题）。")
    if not parsed.articles:
        raise ValidationFailed("没有从文本中识别出任何条文，请检查格式（每条以“第X条”开头）。")
    keys = [(a.number, a.suffix) for a in parsed.articles]
    seen: set[tuple[int, int]] = set()
    for a, key in zip(parsed.articles, keys, strict=True):
        if key in seen:
            raise ValidationFailed(f"条文编号重复：{a.label}。请检查文本。")
        seen.add(key)


@transaction.atomic
def add_law_from_text(
    *,
    user: Any,
    text: str,
    title: str = "",
    level: str = Level.DEPARTMENT_RULE,
    issuer: str = "",
    region: str = "",
    short_name: str = "",
    publish_date: dt.date | None = None,
    effective_date: dt.date | None = None,
    status: str = Status.IN_FORCE,
    status_basis: str = "",
) -> LawVersion:
    """Parse pasted text into a version with articles (a new law, or a new version of one with this title)."""
    require_role(user, *EDITOR_ROLES, message="只有系统管理员或法制审核员可以录入法规。")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("法规全文不能为空。")
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed("法规全文过长（超过 200 万字）。")
    if level not in Level.values:
        raise ValidationFailed("请选择有效的效力级别。")
    if status not in Status.values:
        raise ValidationFailed("请选择有效的效力状态。")
    parsed = parse_plain(text, title=title.strip() or None)
    _check_parsed(parsed)
    law, created = Law.objects.get_or_create(
        title=parsed.title[:300],
        level=level,
        region=region.strip()[:50],
        defaults={
            "short_name": short_name.strip()[:200],
            "norm_title": normalize_title(parsed.title)[:300],
            "issuer": issuer.strip()[:200],
        },
    )
    # Locked until the end: two requests adding a version at once (the form sent twice) would each
    # find the text new and leave two latest versions of one law.
    law = Law.objects.select_for_update().get(pk=law.pk)
    digest = importer.text_hash(text)
    if not created and law.versions.filter(text_hash=digest).exists():
        raise Conflict("这部法规已有完全相同的文本版本。")
    previous = list(law.versions.filter(is_latest=True))
    version = LawVersion.objects.create(
        law=law,
        publish_date=publish_date or parsed.publish_date,
        effective_date=effective_date or parsed.effective_date,
        status=status,
        status_basis=status_basis.strip() or f"由 {getattr(user, 'username', '管理员')} 手工录入",
        is_latest=True,
        version_index=(law.versions.count() + 1),
        history=parsed.history,
        text=text,
        text_hash=digest,
        source="manual",
    )
    Article.objects.bulk_create(
        [
            Article(
                version=version,
                law=law,
                number=a.number,
                suffix=a.suffix,
                label=a.label[:40],
                part=a.part[:200],
                chapter=a.chapter[:200],
                section=a.section[:200],
                ordinal=i,
                text=a.text,
                paragraphs=a.paragraphs,
            )
            for i, a in enumerate(parsed.articles, start=1)
        ]
    )
    stale: list[int] = []
    for old in previous:
        old.is_latest = False
        update = ["is_latest"]
        if status == Status.IN_FORCE and old.status == Status.IN_FORCE:
            old.status = Status.AMENDED
            old.status_basis = f"已由 {version.publish_date or '新'} 版本取代（手工录入）"
            update += ["status", "status_basis"]
        old.save(update_fields=update)
        stale += list(old.articles.values_list("pk", flat=True))
    audit.record(
        action="create",
        obj=version,
        comment=f"手工录入《{law.title}》，{len(parsed.articles)} 条",
        after={"law": law.title, "articles": len(parsed.articles), "status": status},
    )
    outbox.enqueue_many("laws", [*version.articles.values_list("pk", flat=True), *stale])
    return version


@transaction.atomic
def correct_status(*, user: Any, version: LawVersion, status: str, basis: str, reason: str) -> LawVersion:
    """Correct a version's 效力状态; the reason is required and recorded in the audit log."""
    require_role(user, *EDITOR_ROLES, message="只有系统管理员或法制审核员可以更正效力状态。")
    if status not in Status.values:
        raise ValidationFailed("请选择有效的效力状态。")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationFailed("请填写更正理由（至少 4 个字），例如所依据的废止决定或公告。")
    basis = (basis or "").strip() or reason
    version = LawVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == status and version.status_basis == basis:
        raise Conflict("效力状态与依据没有变化。")
    before = {"status": version.status, "status_basis": version.status_basis}
    version.status = status
    version.status_basis = basis
    version.save(update_fields=["status", "status_basis"])
    audit.record(
        action="transition",
        obj=version,
        comment=f"更正效力状态：{reason}",
        before=before,
        after={"status": status, "status_basis": basis},
    )
    outbox.enqueue_many("laws", list(version.articles.values_list("pk", flat=True)))
    return version
