"""`fazhi index citations [--rebuild]`: bring the citation index (「被引用」) up to date (idempotent)."""

import time

from django.core.management.base import BaseCommand

from fazhi.laws import citation_index


class Command(BaseCommand):
    help = "建立或更新条文引用索引（条文页的“被引用”）：只扫描尚未扫描的现行版本，可重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="清空后全部重新扫描")

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = citation_index.sync(rebuild=options["rebuild"])
        self.stdout.write(
            f"扫描 {report.scanned} 个版本，写入 {report.citations} 条引用；"
            f"移除 {report.dropped} 个旧版本的引用（用时 {time.perf_counter() - started:.1f} 秒）"
        )
