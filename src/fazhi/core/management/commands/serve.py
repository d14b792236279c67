"""`fazhi serve`: gunicorn + the task worker + the index/periodic loops, stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

RESTART_AFTER = 10.0  # seconds a background process must have run before it is started again


class Command(BaseCommand):
    help = "启动 Web 服务（gunicorn）及后台任务进程"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args, **options):
        bindir = os.path.dirname(sys.executable)
        fazhi = os.path.join(bindir, "fazhi")
        web = [
            os.path.join(bindir, "gunicorn"),
            "fazhi.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
            # A question of a few hundred Chinese characters is ~9 bytes a character once URL-encoded; the
            # default 4094-byte request line refused it with gunicorn's English 414 before the app could answer.
            "--limit-request-line",
            "8190",
            "--access-logfile",
            "-",
        ]
        # The background loops: one that exits (a crash) is started again, at most once every 10 s.
        background = {
            "任务进程": [fazhi, "db_worker", "--interval", "2"],
            "索引更新进程": [fazhi, "index", "process", "--watch"],
            "定时任务进程": [fazhi, "periodic", "run", "--loop"],
        }
        procs = {"Web 服务进程": subprocess.Popen(web)}
        procs.update({name: subprocess.Popen(cmd) for name, cmd in background.items()})
        started = dict.fromkeys(procs, time.monotonic())
        self.stdout.write(f"服务已启动：http://{options['host']}:{options['port']}/ （Ctrl+C 停止）")

        def stop(*_):  # noqa: ANN002
            for p in procs.values():
                if p.poll() is None:
                    p.terminate()
            deadline = time.time() + 10
            for p in procs.values():
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            if procs["Web 服务进程"].poll() is not None:
                self.stderr.write("Web 服务进程已退出。")
                stop()
            for name, cmd in background.items():
                code = procs[name].poll()
                if code is not None and time.monotonic() - started[name] >= RESTART_AFTER:
                    self.stderr.write(f"{name}已退出（返回码 {code}），正在重新启动。")
                    procs[name] = subprocess.Popen(cmd)
                    started[name] = time.monotonic()
            time.sleep(1)
