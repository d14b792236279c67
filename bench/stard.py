"""STARD relevance benchmark for the law search.

  .venv/bin/python bench/stard.py [BASE_URL] [--file PATH] [--limit N]
  .venv/bin/python bench/stard.py --in-process      # no server: calls fazhi.laws.search directly

Runs every query of FAZHI_DATA_DIR/eval/stard-train.jsonl through GET /api/v1/laws/search
(default http://127.0.0.1:8000) and prints Recall@10, Recall@100, MRR@10, nDCG@10 and p50/p95
latency. Matching follows ../shared/tools/search_eval.py (normalised law title + article number).
`--in-process` measures relevance only (latency then excludes HTTP and JSON) and is meant for tuning.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

DEFAULT_FILE = Path(os.environ.get("FAZHI_DATA_DIR", "/work/shared/data")) / "eval" / "stard-train.jsonl"
_DIG = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT = {"十": 10, "百": 100, "千": 1000}


def _cn2int(s: str) -> int:
    if s.isdigit():
        return int(s)
    total = cur = 0
    for ch in s:
        if ch in _DIG:
            cur = _DIG[ch]
        elif ch in _UNIT:
            total += (cur or 1) * _UNIT[ch]
            cur = 0
    return total + cur


def norm_title(t: str) -> str:
    if "民法典" in t and "解释" not in t:
        return "民法典"
    t = t.split("·")[0].strip()
    t = re.sub(r"[（(].*?[)）]", "", t).replace("中华人民共和国", "")
    return re.sub(r"\s+", "", t)


def art_key(label: str) -> int | str:
    label = label.strip().lstrip("第").rstrip("条")
    if "条之" in label:
        a, b = label.split("条之")
        return f"{_cn2int(a)}-之{b}"
    return _cn2int(label)


def http_search(base: str, limit: int):  # noqa: ANN201
    url = base.rstrip("/") + "/api/v1/laws/search"

    def run(q: str) -> list[tuple[str, int | str]]:
        with urllib.request.urlopen(
            url + "?" + urllib.parse.urlencode({"q": q, "limit": limit}), timeout=30
        ) as r:
            res = json.load(r)["results"]
        return [(norm_title(x["law_title"]), art_key(x["article_label"])) for x in res]

    return run


def local_search(limit: int):  # noqa: ANN201
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from fazhi.laws.search import search_articles

    def run(q: str) -> list[tuple[str, int | str]]:
        res = search_articles(q=q, limit=limit)
        return [(norm_title(h.article.law_title), art_key(h.article.label)) for h in res.hits]

    return run


def evaluate(run, queries: list[dict]) -> dict:  # noqa: ANN001
    ks = (1, 5, 10, 100)
    m = {f"R@{k}": 0.0 for k in ks} | {"MRR@10": 0.0, "nDCG@10": 0.0}
    lat: list[float] = []
    errors = 0
    for q in queries:
        t = time.perf_counter()
        try:
            ranked = run(q["query"])
        except Exception as exc:  # noqa: BLE001 - a failing query counts as an error, the run goes on
            errors += 1
            if errors <= 5:
                print(f"error on qid {q.get('qid')}: {exc}", file=sys.stderr)
            ranked = []
        lat.append((time.perf_counter() - t) * 1000)
        rel = {(x["law"], x["article"]) for x in q["relevant"]}
        for k in ks:
            m[f"R@{k}"] += len(set(ranked[:k]) & rel) / len(rel)
        m["MRR@10"] += next((1 / (i + 1) for i, d in enumerate(ranked[:10]) if d in rel), 0)
        dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
        m["nDCG@10"] += dcg / sum(1 / math.log2(i + 2) for i in range(min(len(rel), 10)))
    n = len(queries) or 1
    lat.sort()
    out = {k: round(v / n, 4) for k, v in m.items()}
    out |= {
        "queries": len(queries),
        "errors": errors,
        "p50_ms": round(lat[len(lat) // 2], 2) if lat else 0.0,
        "p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2) if lat else 0.0,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--file", default=str(DEFAULT_FILE))
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--in-process", action="store_true")
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as fh:
        queries = [json.loads(line) for line in fh if line.strip()]
    run = local_search(args.limit) if args.in_process else http_search(args.base, args.limit)
    out = evaluate(run, queries)
    print(
        f"STARD ({out['queries']} queries, {'in-process' if args.in_process else args.base}): "
        f"Recall@10 {out['R@10']:.4f}  Recall@100 {out['R@100']:.4f}  MRR@10 {out['MRR@10']:.4f}  "
        f"nDCG@10 {out['nDCG@10']:.4f}  p50 {out['p50_ms']:.1f} ms  p95 {out['p95_ms']:.1f} ms  errors {out['errors']}"
    )
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
