"""预算绩效 timing: scoring, the public disclosure page, the dashboard and the downloads for N projects.

Runs in-process on a private database (FAZHI_VAR_DIR, default /tmp/fazhi-bench-performance; migrated first):

    FAZHI_VAR_DIR=/tmp/fazhi-bench-performance python bench/performance_disclosure.py --projects 50

Builds one unit with N published projects of 7 indicators each (once), then prints the median of 5 runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time


def median_ms(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("FAZHI_VAR_DIR", "/tmp/fazhi-bench-performance")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, skip_checks=True)
    from fazhi.core import audit, roles
    from fazhi.core.services import ensure_user
    from fazhi.performance import demo, rules, selectors, services
    from fazhi.performance.models import BudgetUnit, Project

    leader = ensure_user(username="bench-leader", display_name="bench", role_names=[roles.LEADER])
    clerk = ensure_user(username="bench-clerk", display_name="bench", role_names=[])
    unit = BudgetUnit.objects.filter(code="bench").first()
    year = 2024
    if unit is None:
        with audit.acting_as(leader):
            unit = services.create_unit(actor=leader, name="基准测试单位", code="bench", members=[clerk])
    have = Project.objects.filter(unit=unit, year=year).count()
    t0 = time.perf_counter()
    with audit.acting_as(leader):
        for i in range(have, args.projects):
            p = services.create_project(actor=leader, unit=unit, year=year, code=f"B-{i:04d}", name=f"项目{i}",
                                        budget_full_year="100", executed=str(80 + i % 20))  # fmt: skip
            rows = [(f"第{n}项", rules.IndicatorRow(*r)) for n, r in enumerate(demo.DEMO_ROWS, start=1)]
            services.save_target(actor=clerk, project=p, annual_goal="目标", rows=rows)
            services.transition(actor=clerk, project=p, kind="target", action="submit")
            services.transition(actor=leader, project=p, kind="target", action="approve")
            p.refresh_from_db()
            actuals = {
                ind.pk: services.ActualInput(*demo.DEMO_ACTUALS[ind.name])
                for ind in p.target.indicators.all()
            }
            services.save_self_evaluation(actor=clerk, project=p, achievement="完成", actuals=actuals)
            services.transition(actor=clerk, project=p, kind="evaluation", action="submit")
            services.transition(actor=leader, project=p, kind="evaluation", action="approve")
        if have < args.projects:
            services.set_budget_approval(actor=leader, unit=unit, year=year, approved_on=dt.date(year, 2, 1))
            services.publish(actor=leader, unit=unit, year=year, published_on=dt.date(year, 2, 10))
    built = args.projects - have
    if built:
        print(
            f"built {built} projects through the full workflow: {(time.perf_counter() - t0) * 1000 / built:.1f} ms each"
        )

    evaluation = Project.objects.filter(unit=unit, year=year).first().self_evaluation  # type: ignore[union-attr]
    config = selectors.get_config()
    client = Client()
    staff = Client()
    staff.force_login(leader)
    url = f"/performance/disclosure/bench/{year}/"
    assert client.get(url).status_code == 200
    print(f"projects: {args.projects}, indicators each: {len(demo.DEMO_ROWS)}")
    print(
        f"rescore one self-evaluation:     {median_ms(lambda: services.rescore(evaluation, config)):8.1f} ms"
    )
    print(f"public disclosure page:          {median_ms(lambda: client.get(url)):8.1f} ms")
    print(f"disclosure .xlsx download:       {median_ms(lambda: client.get(url + 'download.xlsx')):8.1f} ms")
    print(f"disclosure .docx download:       {median_ms(lambda: client.get(url + 'download.docx')):8.1f} ms")
    print(
        f"internal dashboard (year filter): {median_ms(lambda: staff.get(f'/performance/manage/?year={year}')):7.1f} ms"
    )


if __name__ == "__main__":
    main()
