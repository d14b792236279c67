"""Exam answer-save load test against a running fazhi server (loopback only).

300 candidates (cand001… made by `fazhi demo users --role candidate`) start the same exam and save
50 answers each, all interleaved with bounded concurrency; then every acknowledged answer is read
back through the API. Optionally the server is restarted half-way (`--restart-cmd`): requests that
fail while it is down are retried, and the read-back shows whether any acknowledged answer was lost.

    python bench/exam_load.py http://127.0.0.1:8105 --create-users --restart-cmd "sh /tmp/restart.sh"

Prints lost / mismatched counts and answer-save latency percentiles. Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class Client:
    """One keep-alive HTTP connection per thread; reconnects after a failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.local = threading.local()

    def _conn(self) -> http.client.HTTPConnection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.local.conn = conn
        return conn

    def request(self, method: str, path: str, body: object = None, token: str = "") -> tuple[int, dict]:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        conn = self._conn()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
            self.local.conn = None
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"detail": raw[:200].decode(errors="replace")}
        return resp.status, payload


def with_retry(client: Client, stop_at: float, *args: object, **kw: object) -> tuple[int, dict, int]:
    """Retry connection failures and 5xx (server restarting) until the global deadline; returns retries too."""
    retries = 0
    while True:
        try:
            status, payload = client.request(*args, **kw)  # type: ignore[arg-type]
            if status < 500:
                return status, payload, retries
        except (OSError, http.client.HTTPException):
            pass
        retries += 1
        if time.monotonic() > stop_at:
            raise TimeoutError("服务器在限定时间内没有恢复")
        time.sleep(min(0.2 * retries, 1.0))


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="server base URL, e.g. http://127.0.0.1:8105 (loopback only)")
    ap.add_argument("--candidates", type=int, default=300)
    ap.add_argument("--answers", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=32, help="simultaneous requests in flight")
    ap.add_argument("--prefix", default="cand")
    ap.add_argument("--password", default="fazhi-demo-2026")
    ap.add_argument("--exam-title", default="演示考试")
    ap.add_argument(
        "--create-users", action="store_true", help="run `fazhi demo users --role candidate` first"
    )
    ap.add_argument("--restart-cmd", default="", help="shell command that restarts the server, run half-way")
    ap.add_argument("--time-limit", type=float, default=900, help="give up after this many seconds")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--token-cache", default="", help="JSON file keeping the candidates' tokens between runs")
    args = ap.parse_args()

    parts = urlsplit(args.url)
    if parts.hostname not in LOOPBACK:
        print("只允许对本机（127.0.0.1/localhost）压测。", file=sys.stderr)
        return 2
    client = Client(parts.hostname, parts.port or 80)
    stop_at = time.monotonic() + args.time_limit
    width = max(3, len(str(args.candidates)))
    names = [f"{args.prefix}{i:0{width}d}" for i in range(1, args.candidates + 1)]

    if args.create_users:
        fazhi = os.path.join(os.path.dirname(sys.executable), "fazhi")
        subprocess.run(
            [
                fazhi,
                "demo",
                "users",
                "--role",
                "candidate",
                "--count",
                str(args.candidates),
                "--prefix",
                args.prefix,
            ],
            check=True,
        )

    t0 = time.monotonic()
    tokens: dict[str, str] = {}

    def login(name: str) -> None:
        status, body, _ = with_retry(client, stop_at, "POST", "/api/v1/auth/token",
                                     {"username": name, "password": args.password})  # fmt: skip
        if status != 200:
            raise RuntimeError(f"{name} 登录失败：{status} {body}")
        tokens[name] = body["token"]

    if args.token_cache and os.path.exists(args.token_cache):
        with open(args.token_cache) as fh:
            tokens.update(json.load(fh))
    # Password hashing makes logins slow by design; they are not part of what is measured.
    with ThreadPoolExecutor(min(args.concurrency, 8)) as pool:
        list(pool.map(login, [n for n in names if n not in tokens]))
    if args.token_cache:
        with open(args.token_cache, "w") as fh:
            json.dump(tokens, fh)
    print(f"登录 {len(tokens)} 个考生：{time.monotonic() - t0:.1f}s")

    status, exams, _ = with_retry(client, stop_at, "GET", "/api/v1/exams/", token=tokens[names[0]])
    exam = next((e for e in exams if e["title"] == args.exam_title), None) if status == 200 else None
    if exam is None:
        print(f"找不到开放的考试“{args.exam_title}”：{status} {exams}", file=sys.stderr)
        return 2

    t1 = time.monotonic()
    papers: dict[str, dict] = {}

    def start(name: str) -> None:
        status, body, _ = with_retry(
            client, stop_at, "POST", f"/api/v1/exams/{exam['exam_id']}/attempts", token=tokens[name]
        )
        if status != 200:
            raise RuntimeError(f"{name} 开始考试失败：{status} {body}")
        papers[name] = body

    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(start, names))
    distinct = len({tuple(q["question_id"] for q in p["questions"]) for p in papers.values()})
    print(f"开考 {len(papers)} 份试卷（互不相同 {distinct} 份）：{time.monotonic() - t1:.1f}s")

    # Each candidate saves its answers in order; all candidates are interleaved through one queue.
    rng = random.Random(args.seed)
    plan: dict[str, collections.deque] = {}
    for name in names:
        steps = collections.deque()
        for q in papers[name]["questions"][: args.answers]:
            letters = sorted(q["options"])
            k = 1 if q["type"] in ("single", "judge") else rng.randint(1, len(letters))
            steps.append((q["question_id"], sorted(rng.sample(letters, k))))
        plan[name] = steps
    total = sum(len(s) for s in plan.values())
    queue: collections.deque = collections.deque(rng.sample(names, len(names)))
    qlock = threading.Lock()
    acked: dict[str, dict[str, list[str]]] = {n: {} for n in names}
    latencies: list[float] = []
    counters = collections.Counter()
    restart_info: dict[str, float] = {}
    restart_started = threading.Event()

    def restart() -> None:
        r0 = time.monotonic()
        print(f"… 已确认 {counters['ok']}/{total} 条，重启服务器：{args.restart_cmd}", flush=True)
        subprocess.run(args.restart_cmd, shell=True, check=True, timeout=120)
        restart_info["seconds"] = time.monotonic() - r0
        print(f"… 服务器已重启（{restart_info['seconds']:.1f}s）", flush=True)

    restarter: threading.Thread | None = None

    def worker() -> None:
        nonlocal restarter
        while True:
            with qlock:
                if not queue:
                    return
                name = queue.popleft()
            qid, answer = plan[name].popleft()
            path = f"/api/v1/exams/attempts/{papers[name]['attempt_id']}/answers/{qid}"
            s0 = time.perf_counter()
            status, body, retries = with_retry(
                client, stop_at, "PUT", path, {"answer": answer}, token=tokens[name]
            )
            elapsed = time.perf_counter() - s0
            with qlock:
                counters["retries"] += retries
                if status == 200 and body.get("answer") == answer:
                    acked[name][str(qid)] = answer
                    counters["ok"] += 1
                    if not retries:
                        latencies.append(elapsed)
                else:
                    counters[f"http_{status}"] += 1
                if plan[name]:
                    queue.append(name)
                if args.restart_cmd and not restart_started.is_set() and counters["ok"] >= total // 2:
                    restart_started.set()
                    restarter = threading.Thread(target=restart)
                    restarter.start()

    t2 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if restarter is not None:
        restarter.join()
    save_seconds = time.monotonic() - t2

    # Read every attempt back through the API and compare with what the server acknowledged.
    lost = mismatched = 0
    verified = 0

    def check(name: str) -> tuple[int, int, int]:
        status, body, _ = with_retry(
            client, stop_at, "GET", f"/api/v1/exams/attempts/{papers[name]['attempt_id']}", token=tokens[name]
        )
        if status != 200:
            raise RuntimeError(f"{name} 读取作答失败：{status} {body}")
        saved = body["answers"]
        miss = sum(1 for q in acked[name] if q not in saved)
        wrong = sum(1 for q, a in acked[name].items() if q in saved and saved[q] != a)
        return miss, wrong, len(acked[name])

    with ThreadPoolExecutor(args.concurrency) as pool:
        for miss, wrong, n in pool.map(check, names):
            lost += miss
            mismatched += wrong
            verified += n

    ms = [v * 1000 for v in latencies]
    print("—— 结果 ——")
    print(
        f"考生 {len(names)} × 答案 {args.answers}：计划 {total} 次保存，确认 {counters['ok']} 次，并发 {args.concurrency}"
    )
    other = {k: v for k, v in counters.items() if k.startswith("http_")}
    print(f"非 200 响应：{other or '无'}；因服务器重启/不可用而重试：{counters['retries']} 次")
    if restart_info:
        print(f"中途重启服务器：用时 {restart_info['seconds']:.1f}s")
    print(f"保存阶段用时 {save_seconds:.1f}s，吞吐 {counters['ok'] / save_seconds:.0f} 次/秒")
    print(f"答案保存延迟（未重试的 {len(ms)} 次）：p50 {pct(ms, 50):.1f} ms，p95 {pct(ms, 95):.1f} ms，"
          f"p99 {pct(ms, 99):.1f} ms，max {max(ms) if ms else float('nan'):.1f} ms，mean {statistics.fmean(ms) if ms else 0:.1f} ms")  # fmt: skip
    print(f"回读校验 {verified} 条已确认答案：丢失 {lost}，不一致 {mismatched}")
    return 0 if lost == 0 and mismatched == 0 and counters["ok"] == total else 1


if __name__ == "__main__":
    sys.exit(main())
