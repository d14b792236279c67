import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from fazhi.search import outbox


class Command(BaseCommand):
    help = "处理检索索引待更新队列（--watch 持续运行）"

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="每隔几秒检查一次")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, **options):
        while True:
            if not options["watch"]:
                n = outbox.process()
            else:
                try:  # the watcher outlives a failed pass (database locked, index busy …); rows stay queued
                    n = outbox.process()
                except Exception:
                    logging.getLogger(__name__).exception("检索索引队列处理失败，稍后重试")
                    close_old_connections()
                    n = 0
            if n:
                self.stdout.write(f"已应用 {n} 条索引更新。")
            if not options["watch"]:
                return
            time.sleep(options["interval"])
