"""`make bench`: the search-quality and latency benchmarks against a running server.

Start the server first (`make run`, default http://127.0.0.1:8000), then run `make bench`
(or `BENCH_URL=http://127.0.0.1:8080 make bench`). Each benchmark prints its own numbers;
the offline ones (pre-check) run in-process. Heavier load tests (exam_load, policy_scale,
bidding_draw, review_ledger, performance_disclosure) are run by hand: see each file's --help.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
URL = os.environ.get("BENCH_URL", "http://127.0.0.1:8000")

STEPS = [
    ("法规检索质量与延迟（STARD 训练集，经 HTTP API）", ["stard.py", URL]),
    ("惠企政策检索质量与延迟（NCPQA 训练集，经 HTTP API）", ["ncpqa.py", "--url", URL]),
    ("法规检索延迟（10 条结果）", ["latency.py", URL]),
    ("合法性审查预审：各规则族精确率与召回率", ["precheck.py"]),
    ("题库导入：20,000 题（JSON 与 Excel），独立的临时数据库", ["question_import.py"]),
]


def main() -> int:
    failed = 0
    for title, args in STEPS:
        print(f"\n== {title}", flush=True)
        result = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], check=False)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
