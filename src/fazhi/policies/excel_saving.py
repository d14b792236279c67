"""Saving a checked Excel import: INSERT and UPDATE in batches, indexing after commit, one audit event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.batches import chunks
from fazhi.policies import duplicates, services
from fazhi.policies.index import INDEX
from fazhi.policies.models import Policy
from fazhi.search import outbox

if TYPE_CHECKING:  # excel imports this module
    from fazhi.policies.excel import ExcelReport, Plan, Progress


BATCH = 500  # rows per bulk INSERT/UPDATE (and per progress step while saving)


def _assign(policy: Policy, cleaned: dict[str, Any], external_id: str) -> list[str]:
    """Put the row's values on the policy (services.assign_values) and its 外部编号; the fields that changed."""
    changed = []
    if external_id and policy.external_id != external_id:
        policy.external_id = external_id
        changed.append("external_id")
    changed += services.assign_values(policy, cleaned)
    if policy._state.adding or {"full_text", "effective_to", "title"} & set(changed):
        changed += policy.refresh_derived()  # bulk writes skip Policy.save()
    return changed


def _write(
    plans: list[Plan],
    *,
    actor: Any,
    name: str,
    report: ExcelReport,
    progress: Progress | None,
) -> None:
    """Create and update in batches of BATCH rows in one transaction, regroup the reposts among the written
    policies, index them after commit, and record one audit event for the whole import."""
    new: list[Policy] = []
    changed: dict[int, tuple[Policy, list[str]]] = {}
    for row, existing, cleaned in plans:
        if existing is None:
            policy = Policy(external_id=row.external_id or None)
            _assign(policy, cleaned, "")
            new.append(policy)
            continue
        report.updated += 1
        if names := _assign(existing, cleaned, row.external_id):
            changed[existing.pk] = (existing, names)
        else:
            report.unchanged += 1
    report.created = len(new)
    total, done = len(new) + len(changed), 0
    now = timezone.now()
    with transaction.atomic(), audit.suspended():
        for created in chunks(new, BATCH):
            Policy.objects.bulk_create(created)
            done += len(created)
            if progress:
                progress("保存", done, total)
        for updated in chunks(list(changed.values()), BATCH):
            # One UPDATE per changed policy with only its changed columns (unchanged rows write nothing).
            for policy, names in updated:
                policy.updated_at = now
                Policy.objects.filter(pk=policy.pk).update(
                    **{f: getattr(policy, f) for f in (*names, "updated_at")}
                )
            done += len(updated)
            if progress:
                progress("保存", done, total)
        written = [p.pk for p in new] + list(changed)
        if None in written:  # a backend that does not return ids from bulk INSERT
            raise RuntimeError("the database did not return the ids of the imported policies")
        if written:
            duplicates.refresh(written)
            outbox.enqueue_many(INDEX, list[object](written))
        audit.record(
            action="import",
            object_type="policies.Policy",
            comment=f"从 Excel 导入惠企政策{('：' + name) if name else ''}",
            actor=actor,
            after={
                "created": [p.pk for p in new],
                "updated": {str(pk): sorted(names) for pk, (_, names) in changed.items()},
                "unchanged": report.unchanged,
                "matched": report.matched,
            },
        )
