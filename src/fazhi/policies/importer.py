"""Importing the shared 惠企政策 JSONL ({docid, text} per line): idempotent by docid, bad lines reported."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.policies import duplicates, extract
from fazhi.policies.index import INDEX
from fazhi.policies.models import Policy
from fazhi.policies.services import CONDITION_FIELDS
from fazhi.search import outbox


def default_path() -> Path:
    return Path(settings.FAZHI_DATA_DIR) / "policies" / "ncpqa-policies.jsonl"


# --- import from the shared JSONL -------------------------------------------------------------
FOUND_LABELS = {
    "issuer": "发文机关",
    "date": "日期",
    "doc_number": "文号",
    "region": "地区",
    "effective_from": "有效期起",
    "effective_to": "有效期止",
    "apply_start": "申报开始",
    "apply_end": "申报截止",
    "contact_phone": "咨询电话",
}
# report key -> model field
_FOUND_FIELDS = {
    "issuer": "issuer",
    "date": "written_date",
    "doc_number": "doc_number",
    "region": "regions",
    "effective_from": "effective_from",
    "effective_to": "effective_to",
    "apply_start": "apply_start",
    "apply_end": "apply_end",
    "contact_phone": "contact_phone",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    corrected: int = 0  # unchanged texts kept under `reextract` because an administrator corrected them
    grouped: int = 0  # policies whose text repeats an older policy's (内容相同或相近的转载)
    errors: list[str] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FOUND_LABELS, 0))

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.corrected


def _max_length(name: str) -> int:
    return int(getattr(Policy._meta.get_field(name), "max_length", None) or 0)


def _fields_from_text(text: str) -> dict[str, Any]:
    ex = extract.extract(text)
    values: dict[str, Any] = {
        "title": ex.title[: _max_length("title")],
        "full_text": ex.body,
        "issuer": ex.issuer if len(ex.issuer) <= _max_length("issuer") else "",
        "doc_number": ex.doc_number,
        "doc_agency_code": ex.doc_agency_code[: _max_length("doc_agency_code")],
        "doc_year": ex.doc_year,
        "doc_serial": ex.doc_serial,
        "level": ex.level,
        "written_date": ex.date,
        "published_date": ex.date,
        "effective_from": ex.effective_from,
        "effective_to": ex.effective_to,
        "apply_start": ex.apply_start,
        "apply_end": ex.apply_end,
        "contact_phone": ex.contact_phone if len(ex.contact_phone) <= _max_length("contact_phone") else "",
        "regions": [ex.region] if ex.region else [],
        "themes": ex.themes,
        "support_types": ex.support_types,
        "industries": ex.industries,
        "sizes": ex.sizes,
        "facets_extracted": True,
        # Industries, sizes and regions read from the text are inferred: 政策体检 calls a match on them
        # 初步符合 until an administrator sets or confirms them.
        "conditions_verified": False,
    }
    return values


# The fields the import reads from the title as well as the text (extract.extract): the date a headline
# gives, the issuer it names and that issuer's level and region; the 有效期 is counted from the date.
TITLE_FED = ("written_date", "published_date", "issuer", "level", "regions", "effective_from", "effective_to")
# What `--reextract` leaves of a policy whose eligibility conditions an administrator verified.
VERIFIED_KEEPS = frozenset({*CONDITION_FIELDS, "conditions_verified"})
# What the import derives from the fields it saves (Policy.refresh_derived and the status).
DERIVED = ("measures_end", "temporary_cue", "status")


def _derive(policy: Policy) -> None:
    """The import's last step: the periods the text states, the temporary-measure cue, and the status they
    and the dates give (an administrator's status_override still decides it)."""
    policy.refresh_derived()
    policy.status = policy.current_status()


def _differs(current: Policy, values: dict[str, Any]) -> bool:
    """Whether `values` (read from the text) or what the import derives from them (DERIVED: a status from a
    title saved by a migration, say) would change the stored policy."""
    if any(getattr(current, k) != v for k, v in values.items()):
        return True
    probe = Policy(status_override=current.status_override, **values)
    _derive(probe)
    return any(getattr(current, k) != getattr(probe, k) for k in DERIVED)


def rederive(policy: Any) -> dict[str, Any]:
    """What the import would now derive for an imported policy from the title and text it has (migration
    0009, after migration 0008 corrected titles): the TITLE_FED fields and the DERIVED ones, the regions
    left out when an administrator verified the conditions. `policy` is a Policy or a migration's
    historical one: only the values of title, full_text, status_override and conditions_verified are read."""
    values = {k: v for k, v in _fields_from_text(policy.full_text).items() if k in TITLE_FED}
    if policy.conditions_verified:
        values.pop("regions")
    probe = Policy(
        title=policy.title, full_text=policy.full_text, status_override=policy.status_override, **values
    )
    _derive(probe)
    return {**values, **{k: getattr(probe, k) for k in DERIVED}}


def _read_row(lineno: int, raw: bytes) -> tuple[str, str] | str:
    """(docid, text) of one JSONL line, or the error message (in Chinese, with the line number)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return f"第{lineno}行：不是有效的 UTF-8 文本"
    try:
        row = json.loads(line)
    except ValueError:
        return f"第{lineno}行不是有效的 JSON"
    if not isinstance(row, dict):
        return f"第{lineno}行格式不对：应为一个 JSON 对象"
    for key in ("docid", "text"):
        if key not in row:
            return f"第{lineno}行缺少 {key} 字段"
    if not isinstance(row["docid"], (str, int)) or not isinstance(row["text"], str):
        return f"第{lineno}行格式不对：docid 应为文字或数字，text 应为文字"
    docid = str(row["docid"]).strip()
    # Scraped pages keep HTML entities (《关于转发&lt;江西省…): the reader should see the characters.
    text = html.unescape(row["text"]) if "&" in row["text"] else row["text"]
    if not docid or not text.strip():
        return f"第{lineno}行：docid 或 text 为空"
    if len(docid) > _max_length("external_id"):
        return f"第{lineno}行：docid 超过 {_max_length('external_id')} 个字符"
    return docid, text


def count_lines(path: Path) -> int:
    """Lines in the file, read as bytes (a line that is not UTF-8 is counted and reported later, not fatal)."""
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def import_policies(
    *,
    path: Path | None = None,
    progress: Callable[[int], None] | None = None,
    limit: int | None = None,
    reextract: bool = False,
    force: bool = False,
    grouping: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import (or refresh) policies from a JSONL file of {"docid", "text"}; idempotent by docid.

    A policy whose text is unchanged is left alone (an administrator's corrections stay), unless
    `reextract` asks to apply the current extraction rules to it again; even then a policy whose
    identified fields an administrator has edited since (facets_extracted is off) is kept, and counted
    in `corrected`, unless `force` is given too; the eligibility conditions of a policy whose conditions an
    administrator verified (已核实) stay, verified, unless `force` is given. A bad line is reported with its
    number (in Chinese) and skipped; a docid seen earlier in the same file is skipped too. Then every
    policy is grouped with the ones whose text is the same or nearly so (`duplicates`; `grouping(1)` per
    policy compared)."""
    path = Path(path or default_path())
    if not path.exists():
        raise ValidationFailed(f"找不到政策数据文件：{path}")
    report = ImportReport()
    existing = {p.external_id: p for p in Policy.objects.exclude(external_id=None)}
    to_create: list[Policy] = []
    changed_ids: list[int] = []
    seen: dict[str, int] = {}
    with transaction.atomic(), audit.suspended():
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, start=1):
                if limit is not None and lineno > limit:
                    break
                if progress:
                    progress(1)
                if not raw.strip():
                    continue
                read = _read_row(lineno, raw)
                if isinstance(read, str):
                    report.errors.append(read)
                    continue
                docid, text = read
                if docid in seen:
                    report.errors.append(f"第{lineno}行：docid {docid} 与第{seen[docid]}行重复，已跳过")
                    continue
                seen[docid] = lineno
                values = _fields_from_text(text)
                if len(values["doc_number"]) > _max_length("doc_number"):
                    report.errors.append(
                        f"第{lineno}行：文号超过 {_max_length('doc_number')} 个字符，未保存文号（docid {docid}）"
                    )
                    values.update(doc_number="", doc_agency_code="", doc_year=None, doc_serial=None)
                for key, name in _FOUND_FIELDS.items():
                    report.found[key] += bool(values[name])
                current = existing.get(docid)
                if current is None:
                    p = Policy(external_id=docid, **values)
                    _derive(p)  # bulk_create skips save()
                    to_create.append(p)
                    report.created += 1
                    continue
                if current.full_text == values["full_text"]:
                    if reextract and not current.facets_extracted and not force:
                        report.corrected += 1
                        continue
                    if current.conditions_verified and not force:
                        # Conditions an administrator set or confirmed (已核实) stay, and stay verified.
                        values = {k: v for k, v in values.items() if k not in VERIFIED_KEEPS}
                    if not (reextract and _differs(current, values)):
                        report.unchanged += 1
                        continue
                for k, v in values.items():
                    setattr(current, k, v)
                _derive(current)
                current.save()
                changed_ids.append(current.pk)
                report.updated += 1
        created = Policy.objects.bulk_create(to_create, batch_size=500)
        ids = [p.pk for p in created if p.pk] + changed_ids
        if len(ids) != len(created) + len(changed_ids):  # backends without RETURNING ids
            ids = (
                list(
                    Policy.objects.filter(external_id__in=[p.external_id for p in to_create]).values_list(
                        "pk", flat=True
                    )
                )
                + changed_ids
            )
        if ids:
            outbox.enqueue_many(INDEX, list[object](ids))
        audit.record(
            action="import",
            object_type="policies.Policy",
            comment=f"导入惠企政策：{path.name}",
            after={
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "corrected_kept": report.corrected,
                "errors": len(report.errors),
                "found": report.found,
            },
        )
        report.grouped = duplicates.refresh_all(progress=grouping).grouped
    return report
