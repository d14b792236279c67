"""Law search latency through the HTTP API (what users get): p50/p95/p99 and throughput.

  .venv/bin/python bench/latency.py [BASE_URL] [--limit 10] [--queries 300] [--concurrency 1]

Queries are the STARD questions (FAZHI_DATA_DIR/eval/stard-train.jsonl), each with snippets, sent to
GET /api/v1/laws/search (default http://127.0.0.1:8000, e.g. `make run` = gunicorn). Also reports the
server-side `took_ms` so network/JSON overhead and search time can be told apart.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

DEFAULT_FILE = Path(os.environ.get("FAZHI_DATA_DIR", "/work/shared/data")) / "eval" / "stard-train.jsonl"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * (len(values) - 1)))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--file", default=str(DEFAULT_FILE))
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=1)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as fh:
        queries = [json.loads(line)["query"] for line in fh if line.strip()][: args.queries]
    url = args.base.rstrip("/") + "/api/v1/laws/search?"

    def one(q: str) -> tuple[float, float]:
        started = time.perf_counter()
        with urllib.request.urlopen(
            url + urllib.parse.urlencode({"q": q, "limit": args.limit}), timeout=30
        ) as r:
            body = json.load(r)
        return (time.perf_counter() - started) * 1000, float(body["took_ms"])

    one(queries[0])  # warm-up: dictionaries and index readers load on the first request
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = list(pool.map(one, queries))
    elapsed = time.perf_counter() - started
    client = [c for c, _ in results]
    server = [s for _, s in results]
    print(
        f"{len(results)} queries, limit {args.limit}, concurrency {args.concurrency}: "
        f"client p50 {pct(client, 0.5):.1f} ms, p95 {pct(client, 0.95):.1f} ms, p99 {pct(client, 0.99):.1f} ms; "
        f"server took_ms p50 {pct(server, 0.5):.1f}, p95 {pct(server, 0.95):.1f}; "
        f"{len(results) / elapsed:.1f} queries/s"
    )


if __name__ == "__main__":
    main()
