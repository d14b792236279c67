"""Bulk import of the shared law files (laws.jsonl.gz, extras-judicial.jsonl.gz, extras-local.jsonl.gz).

Contract: `import_files(paths)` reads every line, rejects a malformed line with its file and line
number (the rest still imports), and writes in bulk: new laws, new versions and their articles.
A record whose source id is already imported with the same text changes nothing; a record whose
text changed becomes a new version and the previous one is marked superseded. Audit events are
suspended for the bulk writes and one summary `import` event is recorded. The search index is
rebuilt when many articles arrived, otherwise the new and changed articles go through the outbox.
The citation index (`citation_index`) then scans the new latest versions and resolves the citations that
named a law before it was imported.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from fazhi.core import audit
from fazhi.core.limits import field_problem
from fazhi.laws import citation_index, repeals
from fazhi.laws.basis import SUPERSEDED, UNVERIFIED, public_basis
from fazhi.laws.citations import normalize_title
from fazhi.laws.models import LEVEL_BY_CHINESE, STATUS_BY_CHINESE, Article, Law, LawVersion, Status
from fazhi.laws.parsing import parse_markdown

DEFAULT_FILES = ("laws.jsonl.gz", "extras-judicial.jsonl.gz", "extras-local.jsonl.gz")
FULL_REBUILD_THRESHOLD = 5000  # more new articles than this: rebuilding the index beats the outbox

PROVINCES = {
    "北京": "北京市",
    "上海": "上海市",
    "天津": "天津市",
    "重庆": "重庆市",
    "广东": "广东省",
    "山东": "山东省",
    "河南": "河南省",
    "浙江": "浙江省",
    "江苏": "江苏省",
    "河北": "河北省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "四川": "四川省",
    "福建": "福建省",
    "安徽": "安徽省",
    "江西": "江西省",
}


@dataclass
class ImportReport:
    files: list[str] = field(default_factory=list)
    lines: int = 0
    laws_created: int = 0
    versions_created: int = 0
    versions_changed: int = 0
    unchanged: int = 0
    articles_created: int = 0
    indexed: int = 0
    citations_indexed: int = 0
    # Laws made 已废止 because another law in the library repeals them (repeals.apply), by title.
    repealed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "lines": self.lines,
            "laws_created": self.laws_created,
            "versions_created": self.versions_created,
            "versions_changed": self.versions_changed,
            "unchanged": self.unchanged,
            "articles_created": self.articles_created,
            "errors": len(self.errors),
        }


def default_paths() -> list[Path]:
    base = Path(settings.FAZHI_DATA_DIR) / "laws"
    return [base / name for name in DEFAULT_FILES]


def resolve_paths(path: str | Path | None) -> list[Path]:
    """A directory → its known law files; a file → itself; None → FAZHI_DATA_DIR/laws."""
    if path is None:
        return default_paths()
    p = Path(path)
    if p.is_dir():
        found = [p / name for name in DEFAULT_FILES if (p / name).exists()]
        found += [
            p / name.removesuffix(".gz") for name in DEFAULT_FILES if (p / name.removesuffix(".gz")).exists()
        ]
        if not found:
            raise FileNotFoundError(f"目录 {p} 中没有法规数据文件（{'、'.join(DEFAULT_FILES)}）")
        return found
    if not p.exists():
        raise FileNotFoundError(f"找不到文件 {p}")
    return [p]


def region_of(record: dict[str, Any]) -> str:
    """The province of a local regulation, from its source path (DLC/山东地方法规/…) or its title."""
    if record.get("level") != "地方性法规":
        return ""
    for part in str(record.get("source_path") or record.get("category") or "").split("/"):
        if part.endswith("地方法规"):
            short = part.removesuffix("地方法规")
            return PROVINCES.get(short, short)
    title = str(record.get("title") or "")
    for short, full in PROVINCES.items():
        if title.startswith((short, full)):
            return full
    return ""


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _validate(record: Any) -> str | None:
    """Why a record cannot be imported (None when it can)."""
    if not isinstance(record, dict):
        return "不是 JSON 对象"
    for key in ("id", "title", "level", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            return f"缺少字段 {key}"
    if record["level"] not in LEVEL_BY_CHINESE:
        return f"未知的效力级别「{record['level']}」"
    status = record.get("status") or "有效"
    if status not in STATUS_BY_CHINESE:
        return f"未知的效力状态「{status}」"
    # A text over its column is refused with the record, never cut (a cut title would also merge two laws).
    texts = (
        (record["title"].strip(), Law, "title"),
        (str(record.get("name") or ""), Law, "short_name"),
        (str(record.get("issuer") or ""), Law, "issuer"),
        (str(record.get("category") or ""), Law, "category"),
        (str(record.get("source_path") or ""), LawVersion, "source_path"),
    )
    return next((p for value, model, name in texts if (p := field_problem(value, model, name))), None)


def read_records(paths: list[Path], report: ImportReport) -> Iterator[dict[str, Any]]:
    """Valid records of every file; malformed lines go to report.errors with file and line number."""
    for path in paths:
        report.files.append(str(path))
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                report.lines += 1
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    report.errors.append(f"{path.name} 第{lineno}行：JSON 格式错误（{exc.msg}）")
                    continue
                problem = _validate(record)
                if problem:
                    report.errors.append(f"{path.name} 第{lineno}行：{problem}")
                    continue
                yield record


def _new_law(record: dict[str, Any], region: str) -> Law:
    title = record["title"].strip()
    return Law(
        title=title,
        short_name=str(record.get("name") or ""),
        norm_title=normalize_title(title)[:300],
        level=LEVEL_BY_CHINESE[record["level"]],
        issuer=str(record.get("issuer") or ""),
        category=str(record.get("category") or ""),
        region=region,
    )


def _new_version(law: Law, record: dict[str, Any], digest: str) -> LawVersion:
    history = record.get("history") if isinstance(record.get("history"), list) else []
    return LawVersion(
        law=law,
        external_id=record["id"],
        publish_date=_date(record.get("publish_date")),
        effective_date=_date(record.get("valid_from")),
        status=STATUS_BY_CHINESE[record.get("status") or "有效"],
        status_basis=public_basis(str(record.get("status_basis") or "")),
        is_latest=bool(record.get("is_latest", True)),
        version_index=int(record.get("version_index") or 1),
        history=history,
        text=record["text"],
        text_hash=digest,
        source="import",
        source_path=str(record.get("source_path") or ""),
    )


def _newest_first(version: LawVersion) -> tuple[dt.date, int, int]:
    return (version.publish_date or dt.date.min, version.version_index, version.pk)


def ensure_one_latest(law_ids: set[int] | None = None) -> list[int]:
    """Exactly one version marked latest per law (of `law_ids`, or of every law).

    Two source records with the same title, level and region become two versions of one law, and each
    record says it is the latest. The newest of them (公布日期, then 版本序号, then the later import)
    stays latest; the others are no longer latest and an in-force one becomes 已修改 (superseded by the
    newer version of the same name). A law with no latest version gets its newest one marked.
    Returns the ids of the versions whose status changed (their articles need re-indexing)."""
    qs = LawVersion.objects.all() if law_ids is None else LawVersion.objects.filter(law_id__in=law_ids)
    by_law: dict[int, list[LawVersion]] = {}
    for version in qs.only(
        "pk", "law_id", "is_latest", "status", "status_basis", "publish_date", "version_index"
    ):
        by_law.setdefault(version.law_id, []).append(version)
    changed: list[LawVersion] = []
    restatused: list[int] = []
    for versions in by_law.values():
        latest = [v for v in versions if v.is_latest]
        if len(latest) == 1:
            continue
        keep = max(latest or versions, key=_newest_first)
        if not keep.is_latest:
            keep.is_latest = True
            changed.append(keep)
        for v in latest:
            if v.pk == keep.pk:
                continue
            v.is_latest = False
            if v.status == Status.IN_FORCE:
                v.status = Status.AMENDED
                v.status_basis = SUPERSEDED
                restatused.append(v.pk)
            changed.append(v)
    if changed:
        LawVersion.objects.bulk_update(changed, ["is_latest", "status", "status_basis"])
    return restatused


def articles_for(version: LawVersion) -> list[Article]:
    """Article rows of a version, parsed from its markdown text."""
    parsed = parse_markdown(version.text)
    return [
        Article(
            version=version,
            law_id=version.law_id,
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


def import_files(
    paths: list[Path],
    *,
    progress: Callable[[int], None] | None = None,
    update_index: bool = True,
) -> ImportReport:
    """Import the given files (see the module docstring); returns the counts and the rejected lines."""
    from fazhi.search import build, outbox

    report = ImportReport()
    records = list(read_records(paths, report))
    existing = {
        ext: (pk, digest)
        for ext, pk, digest in LawVersion.objects.exclude(external_id=None).values_list(
            "external_id", "pk", "text_hash"
        )
    }
    laws = {(law.title, law.level, law.region): law for law in Law.objects.all()}
    stale_ids: list[int] = []

    with transaction.atomic(), audit.suspended():
        # 1. laws that do not exist yet
        new_laws: dict[tuple[str, str, str], Law] = {}
        for record in records:
            region = region_of(record)
            key = (record["title"].strip(), LEVEL_BY_CHINESE[record["level"]], region)
            if key not in laws and key not in new_laws:
                new_laws[key] = _new_law(record, region)
        Law.objects.bulk_create(list(new_laws.values()), batch_size=1000)
        report.laws_created = len(new_laws)
        laws.update(new_laws)

        # 2. versions: new ones, and changed texts (the previous version is superseded)
        to_create: list[LawVersion] = []
        superseded: list[LawVersion] = []
        for record in records:
            digest = text_hash(record["text"])
            known = existing.get(record["id"])
            if known and known[1] == digest:
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            law = laws[(record["title"].strip(), LEVEL_BY_CHINESE[record["level"]], region_of(record))]
            if known:
                old = LawVersion.objects.get(pk=known[0])
                old.external_id = f"{record['id']}~{old.pk}"
                old.is_latest = False
                if old.status == Status.IN_FORCE:
                    old.status = Status.AMENDED
                note = "导入时发现来源文本已变更，本版本由新版本取代"
                # "the latest version in the source" no longer holds for the old text: the note replaces it.
                kept = "" if old.status_basis in ("", UNVERIFIED) else old.status_basis
                old.status_basis = f"{kept}；{note}".strip("；")
                superseded.append(old)
                stale_ids.append(old.pk)
                report.versions_changed += 1
            to_create.append(_new_version(law, record, digest))
        if superseded:
            LawVersion.objects.bulk_update(superseded, ["external_id", "is_latest", "status", "status_basis"])
        LawVersion.objects.bulk_create(to_create, batch_size=200)
        report.versions_created = len(to_create) - report.versions_changed

        # 2b. two records may map to one law (the same title from two source files): one latest version
        stale_ids += ensure_one_latest({v.law_id for v in to_create})

        # 3. articles of the new versions
        batch: list[Article] = []
        new_article_ids: list[int] = []
        for version in to_create:
            batch.extend(articles_for(version))
            if len(batch) >= 5000:
                new_article_ids += [a.pk for a in Article.objects.bulk_create(batch)]
                report.articles_created += len(batch)
                batch = []
            if progress:
                progress(1)
        if batch:
            new_article_ids += [a.pk for a in Article.objects.bulk_create(batch)]
            report.articles_created += len(batch)

        if report.versions_created or report.versions_changed or report.errors:
            audit.record(
                action="import",
                object_type="laws.Law",
                object_repr="法规库导入",
                after=report.as_dict(),
                comment="；".join(report.errors[:20]),
            )
        if update_index and report.articles_created and len(new_article_ids) <= FULL_REBUILD_THRESHOLD:
            changed = list(Article.objects.filter(version_id__in=stale_ids).values_list("pk", flat=True))
            outbox.enqueue_many("laws", [*new_article_ids, *changed])

    if update_index and len(new_article_ids) > FULL_REBUILD_THRESHOLD:
        report.indexed = build.rebuild("laws")
    report.citations_indexed = citation_index.sync().citations
    citation_index.resolve_new_laws(law.pk for law in new_laws.values())
    report.repealed = [r.law_title for r in repeals.apply()]
    return report
