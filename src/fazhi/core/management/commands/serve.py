"""`fazhi serve`: gunicorn + the task worker + the index/periodic loops, stopped together."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


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
        procs = [
            subprocess.Popen(
                [
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
                    "--access-logfile",
                    "-",
                ]
            ),
            subprocess.Popen([fazhi, "db_worker", "--interval", "2"]),
            subprocess.Popen([fazhi, "index", "process", "--watch"]),
            subprocess.Popen([fazhi, "periodic", "run", "--loop"]),
        ]
        self.stdout.write(f"服务已启动：http://{options['host']}:{options['port']}/ （Ctrl+C 停止）")

        def stop(*_):  # noqa: ANN002
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            deadline = time.time() + 10
            for p in procs:
                try:
                    p.wait(timeout=max(0.1, deadline - time.time()))
                except subprocess.TimeoutExpired:
                    p.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for p in procs:
                if p.poll() is not None and p is procs[0]:
                    self.stderr.write("Web 服务进程已退出。")
                    stop()
            time.sleep(1)
