"""数据看板 timing: every figure provider, the Excel export and the annual .docx on a seeded database.

Runs in-process on a private database (FAZHI_VAR_DIR, default /tmp/fazhi-bench-reports; migrated first),
seeds N drafts and M enterprise profiles, imports the 599 real policies from shared data if absent:

    FAZHI_VAR_DIR=/tmp/fazhi-bench-reports python bench/reports_figures.py --drafts 5000 --profiles 100

Prints the median of 3 runs for each step.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time


def timed(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--profiles", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("FAZHI_VAR_DIR", "/tmp/fazhi-bench-reports")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, skip_checks=True)
    from fazhi.core import audit, roles
    from fazhi.core.services import ensure_user
    from fazhi.policies.models import EnterpriseProfile, Policy
    from fazhi.reports import annual, excel
    from fazhi.reports import figures as figs
    from fazhi.review.models import Draft, State

    rng = random.Random(7)
    year = timezone.localdate().year
    drafter = ensure_user(username="bench-drafter", display_name="起草人", role_names=[roles.DRAFTER])
    with audit.suspended():
        if not Policy.objects.exists():
            call_command("import_policies", verbosity=0)
        missing = args.drafts - Draft.objects.count()
        if missing > 0:
            rows = []
            for i in range(missing):
                day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
                when = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
                published = rng.random() < 0.6
                rows.append(
                    Draft(
                        title=f"文件{i}",
                        doc_type="normative",
                        is_normative=True,
                        unit=rng.choice(["法规科", "预算科", "采购科"]),
                        drafter=drafter,
                        state=State.PUBLISHED if published else State.IN_REVIEW,
                        submitted_at=when,
                        decided_at=when if published else None,
                        outcome=State.APPROVED.label if published else "",
                        review_days_used=rng.randrange(1, 8),
                        published_on=day if published else None,
                    )
                )
            Draft.objects.bulk_create(rows, batch_size=1000)
        for i in range(EnterpriseProfile.objects.count(), args.profiles):
            owner = ensure_user(
                username=f"bench-ent-{i}", display_name=f"企业{i}", role_names=[roles.ENTERPRISE]
            )
            EnterpriseProfile.objects.create(
                owner=owner,
                name=f"企业{i}",
                industry="软件和信息技术服务业",
                industry_section="I",
                size=rng.choice(["小型", "微型", "中型"]),
            )
    ctx = figs.Context(year=year)
    print(
        f"drafts={Draft.objects.count()} policies={Policy.objects.count()} profiles={EnterpriseProfile.objects.count()}"
    )
    for provider in figs.PROVIDERS:
        print(
            f"provider {provider.name:12s} {timed(lambda p=provider: figs.run_provider(p, ctx)) * 1000:8.1f} ms"
        )
    collected = figs.collect(ctx)
    print(
        f"collect all          {timed(lambda: figs.collect(ctx)) * 1000:8.1f} ms ({len(collected.figures)} figures)"
    )
    print(f"excel export         {timed(lambda: excel.figures_xlsx(collected)) * 1000:8.1f} ms")
    print(f"annual docx          {timed(lambda: annual.build(collected)) * 1000:8.1f} ms")
    published = collected.by_key()["review.published"]
    print(f"drill-down rows      {timed(published.rows) * 1000:8.1f} ms ({published.value} rows)")


if __name__ == "__main__":
    main()
