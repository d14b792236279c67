"""Import case excerpts (the shape of shared/data/cases/case-excerpts.jsonl) as cases.

A record has `kind`, `url`, `note`, `excerpt`; optional structured keys (`title`, `category`,
`facts`, `dispute`, `decision`, `analysis`, `lessons`, `tags`, `articles`) override what is
derived from the excerpt. Records are keyed by their URL, so importing twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.cases.models import CATEGORY_BY_CHINESE, AppliedArticle, Case, CaseStatus, Category
from fazhi.cases.search import INDEX
from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.core.limits import field_problem
from fazhi.search import outbox

# kind → (category, tags, articles usually applied). The article list is the citation an editor
# would add for this kind of decision; it is linked only when the law exists in the law library.
KINDS: dict[str, tuple[str, list[str], list[tuple[str, int]]]] = {
    "procurement_typical_case": (Category.PROCUREMENT, ["典型案例", "差别待遇"], [("政府采购法实施条例", 20)]),
    "procurement_complaint_decision": (Category.PROCUREMENT, ["投诉处理"], [("政府采购法", 56)]),
    "procurement_administrative_penalty": (Category.PENALTY, ["政府采购", "中小企业声明函"], [("政府采购法", 77)]),
    "info_disclosure_reconsideration": (Category.INFO_DISCLOSURE, ["行政复议"], [("政府信息公开条例", 38)]),
    "info_disclosure_litigation_vs_MOF": (Category.INFO_DISCLOSURE, ["行政诉讼"], [("政府信息公开条例", 33)]),
    "info_disclosure_typical_case": (Category.INFO_DISCLOSURE, ["典型案例"], [("政府信息公开条例", 33)]),
    "fund_misuse_news": (Category.FUNDS, ["补贴资金", "审计"], []),
}  # fmt: skip

SECTION_MARKERS = {
    "基本案情": "facts",
    "案情": "facts",
    "争议焦点": "dispute",
    "处理结果": "decision",
    "处理决定": "decision",
    "裁判": "decision",
    "裁判结果": "decision",
    "评析": "analysis",
    "典型意义": "analysis",
    "法理分析": "analysis",
    "启示": "lessons",
}
_MARKER = re.compile(r"【(" + "|".join(sorted(SECTION_MARKERS, key=len, reverse=True)) + r")】")
_COURT_NUMBER = re.compile(r"[（(]\d{4}[）)][\u4e00-\u9fa5]{1,8}\d+号")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fa5]{0,6})[〔\[](\d{4})[〕\]](\d+)号")
_ISSUER = re.compile(r"[^\s诉,;:()（）]{2,14}?(?:财政局|财政厅|人民法院|财政部)")
_DATE_ISO = re.compile(r"(20\d{2}|19\d{2})-(\d{1,2})-(\d{1,2})")
_DATE_CN = re.compile(r"(20\d{2}|19\d{2})年(\d{1,2})月(\d{1,2})日")
_TITLE_WORDS = ("决定书", "判决书", "典型案例", "案例", "决定", "案")


EXCERPT_NOTE = "摘录，全文以原文为准"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    unresolved: list[str] = field(default_factory=list)


def _t2s(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def _first_date(text: str) -> dt.date | None:
    for pattern in (_DATE_ISO, _DATE_CN):
        m = pattern.search(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def split_sections(text: str) -> dict[str, str]:
    """Cut an excerpt at 【基本案情】/【处理结果】… markers; text before the first marker is facts."""
    out: dict[str, list[str]] = {}
    parts = _MARKER.split(text)
    out.setdefault("facts", []).append(parts[0].strip())
    for i in range(1, len(parts), 2):
        target = SECTION_MARKERS[parts[i]]
        out.setdefault(target, []).append(parts[i + 1].strip())
    return {k: "\n\n".join(p for p in v if p) for k, v in out.items()}


def _mostly_chinese(text: str) -> bool:
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= max(4, len(text) // 2)


def _title(excerpt: str, note: str) -> str:
    """The excerpt's own heading, else the note's Chinese head, else the excerpt's first sentence."""
    first = next((line.strip() for line in excerpt.splitlines() if line.strip()), "")
    if first and len(first) <= 60 and any(w in first for w in _TITLE_WORDS):
        return first
    head = re.sub(r"\s*excerpt truncated\.?", "", note.split(";")[0]).strip(" ;,.")
    if head and _mostly_chinese(head):
        return head
    if first and len(first) <= 60 and not re.search(r"[:：。，,]", first):
        return first
    sentence = re.split(r"[。！？!?\n]", excerpt.strip(), maxsplit=1)[0]
    return (sentence[:60] + ("…" if len(sentence) > 60 else "")) or "未命名案例"


def _doc_number(note: str, excerpt: str) -> str:
    for text in (note, excerpt[:400]):
        court = _COURT_NUMBER.search(text)
        if court:
            return court.group(0)
        m = _DOC_NUMBER.search(text)
        if m:
            # "投诉处理决定书〔2024〕9号": keep the agency code only, not the document's name before it.
            prefix = re.split(r"[书的作出]", m.group(1))[-1]
            return f"{prefix}〔{m.group(2)}〕{m.group(3)}号"
    return ""


def parse_record(record: dict[str, Any]) -> dict[str, Any]:
    """One JSON record → case field values (raises ValidationFailed when it has no URL or text)."""
    url = str(record.get("url") or "").strip()
    excerpt = _t2s(str(record.get("excerpt") or "")).replace("\r\n", "\n")
    note = _t2s(str(record.get("note") or ""))
    if not url.startswith(("http://", "https://")):
        raise ValidationFailed("案例记录缺少来源网址（url）。")
    if problem := field_problem(url, Case, "source_url"):  # the record's key: a cut one could name another
        raise ValidationFailed(f"案例记录的{problem}，未导入。")
    if not excerpt.strip() and not record.get("facts"):
        raise ValidationFailed(f"案例记录 {url} 没有正文（excerpt）。")
    title = str(record.get("title") or _title(excerpt, note))
    if problem := field_problem(title, Case, "title"):
        raise ValidationFailed(f"案例记录 {url} 的{problem}，未导入。")
    kind = str(record.get("kind") or "")
    category, tags, citations = KINDS.get(kind, (Category.OTHER, [], []))
    if record.get("category"):
        category = CATEGORY_BY_CHINESE.get(record["category"], record["category"])
        if category not in Category.values:
            raise ValidationFailed(f"案例记录 {url} 的类别“{record['category']}”无效。")
    sections = split_sections(excerpt)
    issuer = _ISSUER.search(note)
    head_lines = "\n".join(excerpt.strip().splitlines()[:2])
    values: dict[str, Any] = {
        "title": title,
        "category": category,
        "source_issuer": issuer.group(0) if issuer else "",
        "source_doc_number": _doc_number(note, excerpt),
        "source_date": _first_date(head_lines) or _first_date(note),
        "source_url": url,
        # The record's note is the collector's remark (in English: "mirror of …", "excerpt truncated"); the
        # public page says what the reader needs to know instead. Issuer, number and date come from it above.
        "source_note": EXCERPT_NOTE,
        "summary": "",
        "facts": sections.get("facts", ""),
        "dispute": sections.get("dispute", ""),
        "decision": sections.get("decision", ""),
        "analysis": sections.get("analysis", ""),
        "lessons": "",
        "tags": "、".join(record.get("tags") or [*tags, "公开文书摘录"]),
    }
    for key in ("facts", "dispute", "decision", "analysis", "lessons", "summary"):
        if record.get(key):
            values[key] = _t2s(str(record[key]))
    values["articles"] = record.get("articles") or [{"law": law, "article": n} for law, n in citations]
    return values


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValidationFailed(f"{path.name} 第 {lineno} 行不是有效的 JSON：{exc.msg}。") from exc
    return records


def import_records(records: Iterable[dict[str, Any]], *, publish: bool = True) -> ImportResult:
    """Create or update one case per record (keyed by URL); link the articles that resolve."""
    from fazhi.cases.services import resolve_article

    result = ImportResult()
    with transaction.atomic(), audit.suspended():
        for record in records:
            try:
                values = parse_record(record)
            except ValidationFailed as exc:
                result.skipped += 1
                result.unresolved.append(exc.message)
                continue
            citations = values.pop("articles")
            case, created = Case.objects.update_or_create(external_key=values["source_url"], defaults=values)
            if created and publish:
                case.status = CaseStatus.PUBLISHED
                case.published_at = timezone.now()
                case.save(update_fields=["status", "published_at"])
            result.created += int(created)
            result.updated += int(not created)
            for order, spec in enumerate(citations):
                try:
                    art = resolve_article(law=spec.get("law", ""), article=spec.get("article", ""))
                except ValidationFailed as exc:
                    result.unresolved.append(exc.message)
                    continue
                AppliedArticle.objects.get_or_create(
                    case=case,
                    law_id=art.law_id,
                    number=art.number,
                    suffix=art.suffix,
                    defaults={"article": art, "order": order, "note": str(spec.get("note") or "")},
                )
            outbox.enqueue(INDEX, case.pk)
    audit.record(
        action="import",
        object_type="cases.Case",
        after={"created": result.created, "updated": result.updated, "skipped": result.skipped},
    )
    return result
