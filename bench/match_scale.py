#!/usr/bin/env python
"""政策体检 at scale: the report's matching figures, the match API and the daily subscription job.

  FAZHI_VAR_DIR=/tmp/var-match .venv/bin/python bench/match_scale.py --profiles 2000 --subscribers 50

Works on the database in FAZHI_VAR_DIR (default /tmp/fazhi-match-scale; a copy of an imported var/ with
its index, never the shared one). Seeds enterprise profiles with random industries, sizes, regions, ages,
staff, revenue and tags (accounts named bench-match-N, kept between runs) and prints:
  - eligible pairs for the report (median of 3 runs, ms) and the 惠企政策 figure provider (ms);
  - POST /api/v1/policies/match in-process, 100 random profiles: p50/p95 wall and CPU ms;
  - the daily subscription job: queries for N subscribers × (new policies + closing windows), run in a
    transaction that is rolled back so the database is left as found.

Measured 2026-12-06 (2 cores shared with other jobs, load 0.9-4; 599 policies, 2,000 profiles, 17,844
eligible pairs; the same code before and after on the same database):
  eligible pairs: 5,928-7,067 ms → 207-283 ms (only the pairs passing each policy's conditions evaluated)
  惠企政策 figure provider: 5,782-10,723 ms → 243-300 ms
  match API (200 requests): 599 policies p50/p95 9.8 / 11.8 → 6.3 / 7.4 ms; 59,900 policies (index from
    bench/policy_scale.py --copies 100) 14.8 / 31.6 → 9.5 / 10.6 ms (candidates loaded with only the fields
    matching reads, one date per request)
  subscription job, 50 subscribers × 10 events: 800 queries → 13 (second run 405 → 11);
    × 40 events: 3,210 → 18 (second run 1,161 → 13); same messages and e-mails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

INDUSTRIES = ["catering", "industry", "retail", "software", "other", "construction", "wholesale"]
REGIONS = [
    "北京市朝阳区",
    "北京市",
    "上海市浦东新区",
    "重庆市渝中区",
    "浙江省杭州市西湖区",
    "广东省广州市天河区",
    "湖北省武汉市汉阳区",
    "江苏省南京市",
    "",
]
TAGS = ["高新技术企业", "专精特新", "科技型中小企业", "外贸企业", "规上企业"]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[int(q * (len(values) - 1))], 1)


def random_profile(rng: random.Random) -> dict:
    return {
        "name": f"基准企业{rng.randrange(10**6)}",
        "industry": rng.choice(INDUSTRIES),
        "employees": rng.choice([None, rng.randint(1, 2000)]),
        "revenue": rng.choice([None, rng.randint(10, 50000)]),
        "total_assets": rng.randint(10, 50000),
        "region": rng.choice(REGIONS),
        "established_on": rng.choice([None, dt.date(2026, 1, 1) - dt.timedelta(days=rng.randrange(9000))]),
        "tags": rng.sample(TAGS, rng.randint(0, 2)),
    }


def seed_profiles(n: int) -> None:
    from django.contrib.auth import get_user_model

    from fazhi.core import audit
    from fazhi.policies import services
    from fazhi.policies.models import EnterpriseProfile

    user_model = get_user_model()
    have = EnterpriseProfile.objects.filter(owner__username__startswith="bench-match-").count()
    if have >= n:
        return
    rng = random.Random(11)
    with audit.suspended():
        users = user_model.objects.bulk_create(
            [user_model(username=f"bench-match-{i}") for i in range(have, n)], batch_size=500
        )
        users = list(user_model.objects.filter(username__startswith="bench-match-", enterprise_profile=None))
        rows = [EnterpriseProfile(owner=u, **services.clean_profile(random_profile(rng))) for u in users]
        EnterpriseProfile.objects.bulk_create(rows, batch_size=500)


def time_report() -> None:
    from django.utils import timezone

    from fazhi.reports import figures as figs
    from fazhi.reports.figures import policies as policy_figures

    today = timezone.localdate()
    samples, pairs = [], []
    for _ in range(3):
        started = time.perf_counter()
        pairs = policy_figures.eligible_pairs(today)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"eligible pairs        {statistics.median(samples):9.1f} ms  ({len(pairs)} pairs)", flush=True)
    provider = next(p for p in figs.PROVIDERS if p.name == "policies")
    ctx = figs.Context(year=today.year)
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        figs.run_provider(provider, ctx)
        samples.append((time.perf_counter() - started) * 1000)
    print(f"惠企政策 figures      {statistics.median(samples):9.1f} ms", flush=True)


def time_match_api(n: int) -> None:
    from django.test import Client

    client = Client()
    rng = random.Random(3)
    lat, cpu = [], []
    for i in range(n + 5):
        profile = random_profile(rng)
        profile["established_on"] = profile["established_on"] and profile["established_on"].isoformat()
        t, c = time.perf_counter(), time.process_time()
        resp = client.post("/api/v1/policies/match", {"profile": profile}, content_type="application/json")
        if i >= 5:  # the first requests warm caches
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert resp.status_code == 200, resp.content
    print(
        f"match API             p50 {pct(lat, 0.5)} / p95 {pct(lat, 0.95)} ms wall, "
        f"CPU p50 {pct(cpu, 0.5)} / p95 {pct(cpu, 0.95)} ms",
        flush=True,
    )


class QueryCounter:
    """Counts every statement sent to the database (no log, so no 9,000-query cap)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def count_subscription_queries(subscribers: int, events: int) -> None:
    from django.core import mail
    from django.db import connection, transaction
    from django.utils import timezone

    from fazhi.core import audit
    from fazhi.core.models import Message
    from fazhi.policies import subscriptions
    from fazhi.policies.models import EnterpriseProfile, Policy, PolicySubscription

    mail.outbox = []
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    today = timezone.localdate()
    long_ago = timezone.now() - dt.timedelta(days=2)
    with transaction.atomic(), audit.suspended():
        profiles = list(EnterpriseProfile.objects.select_related("owner").order_by("pk")[:subscribers])
        for i, p in enumerate(profiles):
            p.owner.email = f"s{i}@example.com"
            p.owner.save(update_fields=["email"])
        subs = [
            PolicySubscription(user=p.owner, themes=["税费优惠"] if i % 2 else [], match_profile=True)
            for i, p in enumerate(profiles)
        ]
        PolicySubscription.objects.bulk_create(subs)
        PolicySubscription.objects.filter(user__in=[p.owner for p in profiles]).update(
            last_checked_at=long_ago, created_at=long_ago
        )
        fresh = list(Policy.objects.filter(status__in=["valid", "expiring"]).order_by("pk")[:events])
        Policy.objects.update(created_at=long_ago - dt.timedelta(days=30))
        Policy.objects.filter(pk__in=[p.pk for p in fresh[: events // 2]]).update(
            created_at=timezone.now() - dt.timedelta(days=1)
        )
        Policy.objects.filter(pk__in=[p.pk for p in fresh[events // 2 :]]).update(
            apply_end=today + dt.timedelta(days=3), apply_start=None, themes=["税费优惠"]
        )
        first, second = QueryCounter(), QueryCounter()
        with connection.execute_wrapper(first):
            counts = subscriptions.run_daily(today=today)
        with connection.execute_wrapper(second):
            again = subscriptions.run_daily(today=today)
        sent = Message.objects.filter(recipient__in=[p.owner for p in profiles]).count()
        print(
            f"subscription job      {first.count} queries ({counts}; {sent} messages, "
            f"{len(mail.outbox)} e-mails); second run {second.count} queries ({again})",
            flush=True,
        )
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100, help="match API requests")
    parser.add_argument("--subscribers", type=int, default=50)
    parser.add_argument("--events", type=int, default=10, help="half new policies, half closing windows")
    parser.add_argument("--skip", default="", help="comma-separated: report,api,subscriptions")
    args = parser.parse_args()
    os.environ.setdefault("FAZHI_VAR_DIR", "/tmp/fazhi-match-scale")
    os.environ.setdefault("FAZHI_INDEX_DIR", os.path.join(os.environ["FAZHI_VAR_DIR"], "index"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fazhi.policies.models import EnterpriseProfile, Policy

    seed_profiles(args.profiles)
    print(f"policies={Policy.objects.count()} profiles={EnterpriseProfile.objects.count()}", flush=True)
    skip = set(args.skip.split(","))
    if "report" not in skip:
        time_report()
    if "api" not in skip:
        time_match_api(args.requests)
    if "subscriptions" not in skip:
        count_subscription_queries(args.subscribers, args.events)


if __name__ == "__main__":
    main()
