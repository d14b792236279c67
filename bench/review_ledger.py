"""应审尽审台账 timing: ledger rows, statistics and the Excel export for N drafts.

Runs in-process on a private database (FAZHI_VAR_DIR, default /tmp/fazhi-bench-review; it is migrated first):

    FAZHI_VAR_DIR=/tmp/fazhi-bench-review python bench/review_ledger.py --drafts 5000

Prints the median of 5 runs for each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=5000)
    args = parser.parse_args()
    os.environ.setdefault("FAZHI_VAR_DIR", "/tmp/fazhi-bench-review")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, skip_checks=True)
    from fazhi.core import audit
    from fazhi.core.services import ensure_user
    from fazhi.review import ledger
    from fazhi.review.models import DocType, Draft, State

    user = ensure_user(
        username="bench-drafter", display_name="bench", role_names=[], password="bench-pass-2026"
    )
    have = Draft.objects.count()
    if have < args.drafts:
        rng = random.Random(7)
        units = [f"单位{i:02d}" for i in range(30)]
        now = timezone.now()
        rows = []
        for i in range(args.drafts - have):
            state = rng.choice(list(State))
            submitted = now - dt.timedelta(days=rng.randint(0, 700))
            rows.append(
                Draft(
                    title=f"基准文稿 {i}",
                    doc_type=rng.choice(list(DocType)),
                    unit=rng.choice(units),
                    drafter=user,
                    state=state,
                    submitted_at=submitted,
                    round_submitted_at=submitted if state in (State.SUBMITTED, State.IN_REVIEW) else None,
                    review_deadline=(submitted + dt.timedelta(days=7)).date(),
                    review_days_used=rng.randint(0, 10),
                    late_rounds=rng.randint(0, 1),
                    outcome=rng.choice(["", "审查通过", "不予通过"]),
                )
            )
        with audit.suspended():
            Draft.objects.bulk_create(rows, batch_size=1000)
    total = Draft.objects.count()

    def timed(label: str, func) -> object:
        times, result = [], None
        for _ in range(5):
            start = time.perf_counter()
            result = func()
            times.append(time.perf_counter() - start)
        print(f"{label:<34} median {statistics.median(times) * 1000:8.1f} ms")
        return result

    print(f"drafts in ledger: {total}")
    items = timed("ledger.rows (all)", lambda: ledger.rows())
    timed("ledger.rows (unit filter)", lambda: ledger.rows(ledger.parse_filters(unit="单位03")))
    timed("ledger.statistics", lambda: ledger.statistics(items))  # type: ignore[arg-type]
    data = timed("ledger.xlsx", lambda: ledger.xlsx(items))  # type: ignore[arg-type]
    print(f"xlsx size: {len(data) / 1024:.0f} KB")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
