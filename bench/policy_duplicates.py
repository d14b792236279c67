#!/usr/bin/env python
"""Grouping reposted policies (fazhi.policies.duplicates): time and group counts at 599 and at 60,000.

  .venv/bin/python bench/policy_duplicates.py                 # 599 policies, then 599 × 100 ≈ 60,000
  .venv/bin/python bench/policy_duplicates.py --copies 10     # a quicker second size

Works in its own database under /tmp/fazhi-policy-duplicates (FAZHI_VAR_DIR is set before Django starts,
so the real data is never touched). The large corpus replicates the 599 shared documents the way
bench/policy_scale.py does: titles and texts prefixed with "（第k批）", so every copy is a near-duplicate of
its original and the grouping must find 100-policy groups without comparing all pairs. Prints, for each
size, the time of a cold run (every text signed) and a warm run (signatures stored, texts unchanged), the
time of one policy's regrouping after an edit, and the group counts at THRESHOLD 0.7 / 0.8 / 0.9.

Measured 2026-12-07 (2 cores shared with another session's test runs, load 1-9):
  599 policies: cold 0.21 s, warm 0.09 s, one edit 0.01 s; import of the file 2.6 s with grouping.
    groups (policies grouped under an older one): 0.7 → 22 (37), 0.8 → 20 (34), 0.9 → 19 (33);
    LSH finds exactly the groups an exact Jaccard comparison of all pairs finds (1.3 s).
  59,900 policies (× 100): cold 19.2 s, warm 13.8 s (the shingles of every bucket member are cut again for
    the exact check; most of it is folding and shingling 60,000 texts), one edit 0.33 s (a pass over the
    stored signatures, then the 100-policy group); groups 0.7 → 562, 0.8 → 565, 0.9 → 566.
    Before the fast fold (analysis.normalize_chars), sort-based distinct and executemany: cold 59.8 s,
    warm 46.3 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
VAR = Path(os.environ.get("FAZHI_DUPLICATES_DIR", "/tmp/fazhi-policy-duplicates"))


def setup() -> None:
    os.environ["FAZHI_VAR_DIR"] = str(VAR)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    VAR.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label: str, run) -> object:  # noqa: ANN001
    started = time.perf_counter()
    result = run()
    print(f"  {label}: {time.perf_counter() - started:.2f} s  {result}", flush=True)
    return result


def measure(size: str) -> None:
    from fazhi.policies import duplicates
    from fazhi.policies.models import Policy

    print(f"{size}: {Policy.objects.count()} policies", flush=True)
    Policy.objects.update(minhash=None, minhash_of="", duplicate_of=None)
    timed("cold run (every text signed)", duplicates.refresh_all)
    timed("warm run (signatures stored)", duplicates.refresh_all)
    one = Policy.objects.order_by("pk").first()
    assert one is not None
    Policy.objects.filter(pk=one.pk).update(full_text=one.full_text + "（本文有修改）")
    timed("one policy edited (refresh)", lambda: duplicates.refresh([one.pk]))
    Policy.objects.filter(pk=one.pk).update(full_text=one.full_text)
    for threshold in (0.7, 0.8, 0.9):
        timed(f"threshold {threshold}", lambda t=threshold: duplicates.refresh_all(threshold=t))
    duplicates.refresh([one.pk])
    duplicates.refresh_all()


def replicate(copies: int) -> None:
    from fazhi.core import audit
    from fazhi.policies.models import Policy

    originals = list(Policy.objects.filter(external_id__isnull=False).exclude(external_id__contains="-"))
    Policy.objects.exclude(pk__in=[p.pk for p in originals]).delete()
    with audit.suspended():
        for k in range(1, copies):
            Policy.objects.bulk_create(
                [
                    Policy(
                        external_id=f"{p.external_id}-{k}",
                        title=f"（第{k}批）{p.title}",
                        issuer=p.issuer,
                        level=p.level,
                        published_date=p.published_date,
                        status=p.status,
                        full_text=f"（第{k}批）{p.full_text}",
                    )
                    for p in originals
                ],
                batch_size=1000,
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=100, help="copies of each policy in the large corpus")
    args = parser.parse_args()
    setup()
    from fazhi.policies import importer
    from fazhi.policies.models import Policy

    Policy.objects.all().delete()
    timed("import of the shared file (grouping included)", lambda: importer.import_policies().grouped)
    measure("shared corpus")
    replicate(args.copies)
    measure(f"replicated × {args.copies}")


if __name__ == "__main__":
    main()
