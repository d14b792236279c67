"""远程异地评标 timing: the draw over large pools, signing, the result, the report and the sheet check.

Runs in-process on a private database (FAZHI_VAR_DIR, default /tmp/fazhi-bench-bidding; migrated first):

    FAZHI_VAR_DIR=/tmp/fazhi-bench-bidding python bench/bidding_draw.py --experts 3000 --bidders 10

Builds two pools (2/3 of the experts at the host site, 1/3 at the assisting site; every 20th expert works
for a bidder), a 7-member project, then prints the median of 5 runs of each step.
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
    parser.add_argument("--experts", type=int, default=3000)
    parser.add_argument("--bidders", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("FAZHI_VAR_DIR", "/tmp/fazhi-bench-bidding")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from fazhi.bidding import services
    from fazhi.bidding.models import Expert, ExpertPool, Project, Site
    from fazhi.bidding.report import build_report
    from fazhi.bidding.services.pools import with_check_digit
    from fazhi.core import audit, roles
    from fazhi.core.services import ensure_user

    call_command("migrate", verbosity=0, skip_checks=True)
    buyer = ensure_user(username="bench-buyer", display_name="bench", role_names=[roles.PROCUREMENT])
    code = f"BENCH-{args.experts}-{args.bidders}"
    project = Project.objects.filter(code=code).first()
    if project is None:
        with audit.suspended(), transaction.atomic():
            host, _ = Site.objects.get_or_create(name="基准主场", defaults={"region": "汉阳"})
            assist, _ = Site.objects.get_or_create(name="基准副场", defaults={"region": "九江"})
            pools = [
                ExpertPool.objects.get_or_create(
                    name="基准主场库", defaults={"region": "汉阳", "site": host}
                )[0],
                ExpertPool.objects.get_or_create(
                    name="基准副场库", defaults={"region": "九江", "site": assist}
                )[0],
            ]
            start = Expert.objects.count()
            Expert.objects.bulk_create(
                Expert(
                    pool=pools[0] if i % 3 else pools[1],
                    name=f"专家{i}",
                    id_number=with_check_digit(f"42{i:015d}"),
                    specialties=["信息技术"],
                    employer="投标人1" if i % 20 == 0 else f"单位{i}",
                )
                for i in range(start, start + args.experts)
            )
            when = timezone.now() + dt.timedelta(days=1)
            project = services.create_project(
                actor=buyer,
                code=code,
                name="基准项目",
                purchaser="基准采购人",
                budget="20000000",
                category="goods",
                method="open_tender",
                evaluation_method="comprehensive",
                committee_size=7,
                host_site_id=host.pk,
                assist_site_ids=[assist.pk],
                quotas=[
                    {"site_id": host.pk, "specialty": "信息技术", "count": 4},
                    {"site_id": assist.pk, "specialty": "信息技术", "count": 3},
                ],
                criteria=[{"name": f"因素{k}", "max_points": "10", "objective": k == 0} for k in range(5)]
                + [{"name": "技术方案", "max_points": "20", "objective": False}],
                price_weight="30",
                sme_policy="deduction",
                sme_deduction_pct="10",
                evaluation_start=when,
                names_reveal_at=when,
            )
            for b in range(args.bidders):
                services.add_bidder(
                    project=project,
                    actor=buyer,
                    name=f"投标人{b}",
                    bid_price=str(100000 + b * 997),
                    sme_declaration=b % 2 == 0,
                    sme_size="small" if b % 2 == 0 else "",
                )

    def one_draw() -> None:
        with transaction.atomic():
            services.draw_committee(project=project, actor=buyer)
            transaction.set_rollback(True)

    print(f"experts in pools: {Expert.objects.count()}, bidders: {args.bidders}")
    print(f"draw (7 of {args.experts}, conflicts checked): {median_ms(one_draw):.1f} ms")

    state: dict = {}

    def sign_everything() -> None:
        sid = transaction.savepoint()
        committee = services.draw_committee(project=project, actor=buyer)
        for m in committee.members.all():
            m.user = ensure_user(username=f"bench-e{m.expert_id}", display_name="e", role_names=[])
            m.save()
        t0 = time.perf_counter()
        for m in committee.members.all():
            entries = [
                {"bidder_id": b.pk, "criterion_id": c.pk, "points": "8"}
                for b in project.bidders.all()
                for c in project.criteria.all()
            ]
            services.save_scores(member=m, actor=m.user, entries=entries)
        t1 = time.perf_counter()
        for m in committee.members.all():
            services.sign_sheet(member=m, actor=m.user)
        t2 = time.perf_counter()
        state.setdefault("save", []).append((t1 - t0) * 1000)
        state.setdefault("sign", []).append((t2 - t1) * 1000)
        project.refresh_from_db()
        state.setdefault("result", []).append(median_ms(lambda: services.compute_result(project), 3))
        state.setdefault("report", []).append(median_ms(lambda: build_report(project), 3))
        state.setdefault("verify", []).append(median_ms(lambda: services.verify_sheets(project), 3))
        transaction.savepoint_rollback(sid)
        project.refresh_from_db()

    with transaction.atomic():
        for _ in range(3):
            sign_everything()
        transaction.set_rollback(True)
    n = 7 * args.bidders * 6
    print(f"save {n} scores (7 experts): {statistics.median(state['save']):.0f} ms")
    print(
        f"sign 7 sheets (consistency + outlier checks + hash + chain): {statistics.median(state['sign']):.0f} ms"
    )
    print(f"compute result: {statistics.median(state['result']):.1f} ms")
    print(f"build report .docx: {statistics.median(state['report']):.1f} ms")
    print(f"verify 7 signed sheets: {statistics.median(state['verify']):.1f} ms")


if __name__ == "__main__":
    main()
