"""Server time of the public portal pages (home, site search, cases, case, 普法 pages).

Runs Django's request handling in-process (no network), N times per page after one warm-up,
and prints p50/p95 in milliseconds. Use a prepared database, e.g.:

    FAZHI_VAR_DIR=/tmp/fazhi-cases .venv/bin/python bench/portal_pages.py [N]
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.test import Client

    from fazhi.cases.models import Case
    from fazhi.publicity.models import Campaign, Post

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    case = Case.objects.filter(status="published").first()
    post = Post.objects.filter(status="published").first()
    campaign = Campaign.objects.first()
    pages = {
        "home /": "/",
        "site search": "/cases/search/?q=政府采购 中小企业",
        "cases list": "/cases/",
        "cases search+facet": "/cases/?q=信息公开&category=政府信息公开",
        "case page": case.get_absolute_url() if case else None,
        "普法专栏": "/publicity/",
        "post page": post.get_absolute_url() if post else None,
        "topic page": campaign.get_absolute_url() if campaign else None,
        "calendar": "/publicity/calendar/",
    }
    client = Client()
    print(f"{'page':<22}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name, url in pages.items():
        if url is None:
            print(f"{name:<22}  (no data)")
            continue
        status = client.get(url).status_code  # warm-up
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:<22}{statistics.median(times):>9.1f}{p95:>9.1f}{times[-1]:>9.1f}  [{status}]")


if __name__ == "__main__":
    main()
