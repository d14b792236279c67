"""法规库 writes: every rule and every write lives here.

- `import_laws(path=…)`: the shared data files (bulk; see fazhi.laws.importer).
- `add_law_from_text(...)`: an administrator adds a law (or a new version of one) by pasting text
  or uploading .docx/.txt; the text is parsed into a version with its articles and indexed.
- `correct_status(...)`: an administrator corrects a version's status with a required reason (audited).
- `register_published_document(...)` / `commence_document(...)` / `follow_document_status(...)`: system
  steps for a 规范性文件 the bureau published after 合法性审查 (called by the review app; the library never
  imports it): the text enters as 有效 (尚未生效 until a later 施行日期) and its status follows the document's
  commencement and expiry, with the same parsing, audit and index; `follow_document_provenance(...)` keeps
  its 来源说明 in step when the document's 发文字号 is corrected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import filetype
from django.db import transaction

from fazhi.core import audit, roles
from fazhi.core.dates import cn_date
from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.fields import max_length
from fazhi.core.limits import check_field, check_length, field_problem
from fazhi.core.permissions import require_role
from fazhi.laws import citation_index, importer
from fazhi.laws.citations import normalize_title
from fazhi.laws.models import Article, Law, LawVersion, Level, Source, Status
from fazhi.laws.parsing import (
    ParsedArticle,
    ParsedLaw,
    as_one_article,
    decode_text,
    docx_text,
    parse_plain,
)
from fazhi.search import outbox

EDITOR_ROLES = (roles.SYSADMIN, roles.REVIEWER)
ADD_LAW_MESSAGE = "只有系统管理员或法制审核员可以录入法规。"
CORRECT_STATUS_MESSAGE = "只有系统管理员或法制审核员可以更正效力状态。"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MANUAL_BASIS = "由法规库管理人员手工录入，请以官方公布的文本为准"
MAX_TEXT_CHARS = 2_000_000
MAX_STATUS_BASIS = 500  # 状态依据 shown to the public (the forms' limit too); refused beyond it, never cut
MAX_STATUS_REASON = 1000  # 更正理由 of a status correction, recorded in the audit log
MAX_ARTICLE_NUMBER = 2_147_483_647  # the article number columns hold no more (PositiveIntegerField)


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
    for position, a in enumerate(parsed.articles, start=1):
        _check_article(a, position)


def _check_article(article: ParsedArticle, position: int) -> None:
    """An article must fit its columns: a cut heading or label would be stored without a word, and a
    number like 第九九九九九九九九九九九条 overflows the integer column (a server error)."""
    limit = max_length(Article, "label") or 0
    if max(article.number, article.suffix) > MAX_ARTICLE_NUMBER or len(article.label) > limit:
        start = article.text[:15] + ("…" if len(article.text) > 15 else "")
        raise ValidationFailed(
            f"第 {position} 个条文的编号过大（该条以“{start}”开头），请检查文本（每条以“第X条”开头）。"
        )
    for name, kind in (("part", "编"), ("chapter", "章"), ("section", "节")):
        heading = getattr(article, name)
        problem = field_problem(heading, Article, name, f"{article.label}所在的{kind}标题")
        if problem:
            raise ValidationFailed(f"{problem}：“{heading[:20]}…”。标题应单独成行，请检查文本。")


def _check_law_fields(*, title: str, titled: bool, issuer: str, region: str, short_name: str) -> None:
    """The law's fields must fit their columns (refused, never cut: two long titles that share their first
    300 characters would otherwise land on one law). `titled`: the title was typed, not the text's first
    line."""
    limit = max_length(Law, "title") or 0
    if len(title) > limit:
        if not titled:
            raise ValidationFailed(
                f"未填写标题时取全文第一行为标题，而第一行有 {len(title):,} 个字，超过标题上限 {limit} 个字。"
                "请填写法规标题。"
            )
        check_field(title, Law, "title", "法规标题")
    for name, label, value in (
        ("issuer", "制定机关", issuer),
        ("region", "地区", region),
        ("short_name", "简称", short_name),
    ):
        check_field(value, Law, name, label)


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
    require_role(user, *EDITOR_ROLES, message=ADD_LAW_MESSAGE)
    text = _checked_text(text)
    if level not in Level.values:
        raise ValidationFailed("请选择有效的效力级别。")
    if status not in Status.values:
        raise ValidationFailed("请选择有效的效力状态。")
    check_status_basis(status_basis.strip())
    parsed = parse_plain(text, title=title.strip() or None)
    _check_parsed(parsed)
    issuer, region, short_name = issuer.strip(), region.strip(), short_name.strip()
    _check_law_fields(
        title=parsed.title, titled=bool(title.strip()), issuer=issuer, region=region, short_name=short_name
    )
    law, created = _law_for(parsed.title, level=level, region=region, short_name=short_name, issuer=issuer)
    if not created and law.versions.filter(text_hash=importer.text_hash(text)).exists():
        raise Conflict("这部法规已有完全相同的文本版本。")
    return _save_version(
        law,
        parsed,
        text=text,
        publish_date=publish_date or parsed.publish_date,
        effective_date=effective_date or parsed.effective_date,
        status=status,
        # Shown to the public: no account name (the audit log keeps who entered it).
        status_basis=status_basis.strip() or MANUAL_BASIS,
        source=Source.MANUAL,
    )


@transaction.atomic
def register_published_document(
    *,
    key: str,
    title: str,
    text: str,
    issuer: str,
    published_on: dt.date,
    effective_date: dt.date | None = None,
    provenance: str = "",
    link: str = "",
    status: str = Status.IN_FORCE,
) -> LawVersion:
    """A 规范性文件 the bureau published after 合法性审查 enters the library as 有效, or 尚未生效 when its 施行日期
    is still ahead (`status`; the caller brings it into force on the day) — a system step: no editor role.
    A new law, or a new version of the law with this title; `key` makes it idempotent (the version
    registered under it before is returned unchanged). A text without 第X条 becomes 一、 items or one 全文
    article, and one whose numbering repeats (or whose headings or article numbers do not fit their
    columns) becomes one 全文 article, rather than being refused."""
    if status not in (Status.IN_FORCE, Status.NOT_YET_IN_FORCE):
        raise ValidationFailed("公布的规范性文件载入法规库时，效力状态只能是有效或尚未生效。")
    # Stored whole or refused (the caller records why): a cut key would never be found again.
    key = check_field(key, LawVersion, "external_id", "来源标识")
    provenance = check_field(provenance, LawVersion, "provenance", "来源说明")
    link = check_field(link, LawVersion, "source_path", "来源链接")
    found = LawVersion.objects.filter(external_id=key).first()
    if found is not None:
        return found
    text = _checked_text(text)
    parsed = parse_plain(text, title=title.strip() or None)
    try:
        _check_parsed(parsed)
    except ValidationFailed:
        if not parsed.title or not parsed.articles:
            raise
        parsed = as_one_article(parsed)
    issuer = issuer.strip()
    _check_law_fields(title=parsed.title, titled=bool(title.strip()), issuer=issuer, region="", short_name="")
    law, created = _law_for(parsed.title, level=Level.NORMATIVE_DOCUMENT, issuer=issuer)
    if not created and law.versions.filter(text_hash=importer.text_hash(text)).exists():
        raise Conflict(f"法规库中《{law.title}》已有完全相同的文本版本。")
    effective_date = effective_date or published_on
    basis = f"{issuer}{cn_date(published_on)}公布"
    if effective_date != published_on:
        basis += f"，自{cn_date(effective_date)}起施行"
    return _save_version(
        law,
        parsed,
        text=text,
        publish_date=published_on,
        effective_date=effective_date,
        status=status,
        status_basis=basis,
        source=Source.REVIEW,
        external_id=key,
        provenance=provenance,
        source_path=link,
    )


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("法规全文不能为空。")
    return check_length(text, "法规全文", MAX_TEXT_CHARS)


def _law_for(
    title: str, *, level: str, region: str = "", short_name: str = "", issuer: str = ""
) -> tuple[Law, bool]:
    """The law with this title (created if new; the fields are checked by `_check_law_fields`), locked
    until the end of the transaction: two requests
    adding a version at once (the form sent twice) would each find the text new and leave two latest
    versions of one law."""
    law, created = Law.objects.get_or_create(
        title=title,
        level=level,
        region=region,
        defaults={"short_name": short_name, "norm_title": normalize_title(title), "issuer": issuer},
    )
    return Law.objects.select_for_update().get(pk=law.pk), created


def _save_version(
    law: Law,
    parsed: ParsedLaw,
    *,
    text: str,
    publish_date: dt.date | None,
    effective_date: dt.date | None,
    status: str,
    status_basis: str,
    source: Source,
    external_id: str | None = None,
    provenance: str = "",
    source_path: str = "",
) -> LawVersion:
    """The new latest version of `law` with its articles; an in-force latest version it replaces becomes
    已修改. Audited and queued for the search index."""
    previous = list(law.versions.filter(is_latest=True))
    version = LawVersion.objects.create(
        law=law,
        external_id=external_id,
        publish_date=publish_date,
        effective_date=effective_date,
        status=status,
        status_basis=status_basis,
        is_latest=True,
        version_index=(law.versions.count() + 1),
        history=parsed.history,
        text=text,
        text_hash=importer.text_hash(text),
        source=source,
        source_path=source_path,
        provenance=provenance,
    )
    Article.objects.bulk_create(
        [
            Article(
                version=version,
                law=law,
                number=a.number,
                suffix=a.suffix,
                label=a.label,
                part=a.part,
                chapter=a.chapter,
                section=a.section,
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
            old.status_basis = f"已由 {version.publish_date or '新'} 版本取代（{source.label}）"
            update += ["status", "status_basis"]
        old.save(update_fields=update)
        stale += list(old.articles.values_list("pk", flat=True))
    audit.record(
        action="create",
        obj=version,
        comment=f"{source.label}《{law.title}》，{len(parsed.articles)} 条",
        after={"law": law.title, "articles": len(parsed.articles), "status": status},
    )
    outbox.enqueue_many("laws", [*version.articles.values_list("pk", flat=True), *stale])
    citation_index.refresh_versions([version.pk, *(old.pk for old in previous)])
    if not previous:  # a new title: the texts that cited it before it was here now link to it
        citation_index.resolve_new_laws([law.pk])
    return version


def check_status_basis(basis: str) -> None:
    """The 状态依据 a person typed (shown on the law's page) within MAX_STATUS_BASIS characters."""
    check_length(basis, "状态依据", MAX_STATUS_BASIS)


@transaction.atomic
def correct_status(*, user: Any, version: LawVersion, status: str, basis: str, reason: str) -> LawVersion:
    """Correct a version's 效力状态; the reason is required and recorded in the audit log."""
    require_role(user, *EDITOR_ROLES, message=CORRECT_STATUS_MESSAGE)
    if status not in Status.values:
        raise ValidationFailed("请选择有效的效力状态。")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationFailed("请填写更正理由（至少 4 个字），例如所依据的废止决定或公告。")
    check_length(reason, "更正理由", MAX_STATUS_REASON)
    basis = (basis or "").strip() or reason
    check_status_basis(basis)
    version = LawVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == status and version.status_basis == basis:
        raise Conflict("效力状态与依据没有变化。")
    return _set_status(version, status=status, basis=basis, comment=f"更正效力状态：{reason}")


@transaction.atomic
def follow_document_status(*, version_id: int, status: str, basis: str) -> LawVersion:
    """A registered document's own decision changes its 效力状态 (a system step: no editor role); audited and
    re-indexed like a correction, nothing happens when the status and basis are already these."""
    if status not in Status.values:
        raise ValidationFailed("请选择有效的效力状态。")
    version = LawVersion.objects.select_for_update().get(pk=version_id)
    if version.status == status and version.status_basis == basis:
        return version
    return _set_status(version, status=status, basis=basis, comment=f"效力状态随文件变更：{basis}")


@transaction.atomic
def follow_repeal_clause(*, version_id: int, basis: str) -> LawVersion:
    """A law's current version becomes 已废止 because another law in the library repeals it (`repeals.apply`,
    a system step: no editor role); audited and re-indexed, nothing happens when it is already so."""
    version = LawVersion.objects.select_for_update().get(pk=version_id)
    if version.status == Status.REPEALED and version.status_basis == basis:
        return version
    return _set_status(
        version, status=Status.REPEALED, basis=basis, comment=f"依据废止条款更新效力状态：{basis}"
    )


@transaction.atomic
def follow_document_provenance(*, version_id: int, provenance: str, reason: str) -> LawVersion:
    """A registered document's 来源说明 follows a correction of the document's own record (its 发文字号,
    corrected in the review app with `reason`): a system step, audited; nothing happens when it is unchanged."""
    version = LawVersion.objects.select_for_update().get(pk=version_id)
    # Refused whole rather than cut: the correction it follows is then not made either (review.library).
    provenance = check_field(provenance, LawVersion, "provenance", "来源说明")
    if version.provenance == provenance:
        return version
    before = version.provenance
    version.provenance = provenance
    version.save(update_fields=["provenance"])
    audit.record(
        action="correct",
        obj=version,
        comment=f"来源说明随文件更正：{reason}",
        before={"provenance": before},
        after={"provenance": provenance},
    )
    return version


def commence_document(*, version_id: int, basis: str) -> LawVersion:
    """A registered 尚未生效 document reaches its 施行日期 (a system step): it becomes 有效 on `basis` and the
    earlier versions still in force become 已修改, as on registration; if a later version is in force already,
    it never takes effect and becomes 已修改 itself."""
    version = LawVersion.objects.select_for_update().get(pk=version_id)
    day, origin = cn_date(version.effective_date), version.get_source_display()
    later = version.law.versions.filter(status=Status.IN_FORCE, version_index__gt=version.version_index)
    if later.exists():
        return follow_document_status(
            version_id=version.pk,
            status=Status.AMENDED,
            basis=f"施行前已由后公布并已施行的版本取代（原定{day}起施行）",
        )
    version = follow_document_status(version_id=version.pk, status=Status.IN_FORCE, basis=basis)
    earlier = version.law.versions.filter(status=Status.IN_FORCE, version_index__lt=version.version_index)
    for old in earlier.values_list("pk", flat=True):
        follow_document_status(
            version_id=old, status=Status.AMENDED, basis=f"已由{day}起施行的版本取代（{origin}）"
        )
    return version


def _set_status(version: LawVersion, *, status: str, basis: str, comment: str) -> LawVersion:
    before = {"status": version.status, "status_basis": version.status_basis}
    version.status = status
    version.status_basis = basis
    version.save(update_fields=["status", "status_basis"])
    audit.record(
        action="transition",
        obj=version,
        comment=comment,
        before=before,
        after={"status": status, "status_basis": basis},
    )
    outbox.enqueue_many("laws", list(version.articles.values_list("pk", flat=True)))
    return version
