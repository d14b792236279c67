"""Importing the shared 惠企政策 JSONL ({docid, text} per line): idempotent by docid, bad lines reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from fazhi.core import audit
from fazhi.core.errors import ValidationFailed
from fazhi.policies import extract
from fazhi.policies.index import INDEX
from fazhi.policies.models import Policy
from fazhi.search import outbox


def default_path() -> Path:
    return Path(settings.FAZHI_DATA_DIR) / "policies" / "ncpqa-policies.jsonl"


# --- import from the shared JSONL -------------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=lambda: {"issuer": 0, "date": 0, "doc_number": 0})

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _fields_from_text(text: str) -> dict[str, Any]:
    ex = extract.extract(text)
    values: dict[str, Any] = {
        "title": ex.title[:500],
        "full_text": ex.body,
        "issuer": ex.issuer[:300],
        "doc_number": ex.doc_number[:100],
        "doc_agency_code": ex.doc_agency_code[:60],
        "doc_year": ex.doc_year,
        "doc_serial": ex.doc_serial,
        "level": ex.level,
        "written_date": ex.date,
        "published_date": ex.date,
        "regions": [ex.region] if ex.region else [],
        "themes": ex.themes,
        "support_types": ex.support_types,
        "industries": ex.industries,
        "sizes": ex.sizes,
        "facets_extracted": True,
    }
    return values


def import_policies(
    *, path: Path | None = None, progress: Callable[[int], None] | None = None, limit: int | None = None
) -> ImportReport:
    """Import (or refresh) policies from a JSONL file of {"docid", "text"}; idempotent by docid."""
    path = Path(path or default_path())
    if not path.exists():
        raise ValidationFailed(f"找不到政策数据文件：{path}")
    report = ImportReport()
    existing = {p.external_id: p for p in Policy.objects.exclude(external_id=None)}
    to_create: list[Policy] = []
    changed_ids: list[int] = []
    with transaction.atomic(), audit.suspended():
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if limit is not None and lineno > limit:
                    break
                if progress:
                    progress(1)
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    docid = str(row["docid"]).strip()
                    text = str(row["text"])
                    if not docid or not text.strip():
                        raise ValueError("docid 或 text 为空")
                except (ValueError, KeyError, TypeError) as exc:
                    report.errors.append(f"第{lineno}行无法读取：{exc}")
                    continue
                values = _fields_from_text(text)
                report.found["issuer"] += bool(values["issuer"])
                report.found["date"] += bool(values["written_date"])
                report.found["doc_number"] += bool(values["doc_number"])
                current = existing.get(docid)
                if current is None:
                    p = Policy(external_id=docid, **values)
                    p.status = p.current_status()
                    to_create.append(p)
                    existing[docid] = p
                    report.created += 1
                    continue
                if current.full_text == values["full_text"]:
                    report.unchanged += 1
                    continue
                for k, v in values.items():
                    setattr(current, k, v)
                current.status = current.current_status()
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
                "errors": len(report.errors),
                "found": report.found,
            },
        )
    return report
