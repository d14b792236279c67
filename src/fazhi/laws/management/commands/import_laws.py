"""`fazhi import laws [PATH]`: import the shared law files (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fazhi.core.errors import DomainError
from fazhi.laws import importer, services


class Command(BaseCommand):
    help = "导入法规数据（laws.jsonl.gz、extras-judicial.jsonl.gz、extras-local.jsonl.gz），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="数据目录或单个 .jsonl(.gz) 文件；默认 FAZHI_DATA_DIR/laws"
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            paths = importer.resolve_paths(options.get("path"))
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        total = 0
        for p in paths:
            opener = importer.gzip.open if p.suffix == ".gz" else open
            with opener(p, "rt", encoding="utf-8", errors="replace") as fh:
                total += sum(1 for line in fh if line.strip())
        with tqdm(total=total, desc="导入法规", unit="件", disable=options.get("verbosity", 1) == 0) as bar:
            try:
                report = services.import_laws(path=options.get("path"), progress=bar.update)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        for error in report.errors:
            self.stderr.write(f"已跳过：{error}")
        self.stdout.write(
            f"读取 {report.lines} 行；新增法规 {report.laws_created} 部、版本 {report.versions_created} 个、"
            f"条文 {report.articles_created} 条；文本变更 {report.versions_changed} 个；"
            f"未变化 {report.unchanged} 个；错误 {len(report.errors)} 行"
            + (f"；已重建索引 {report.indexed} 条" if report.indexed else "")
            + (f"；依据废止条款标为已废止 {len(report.repealed)} 部" if report.repealed else "")
            + f"（用时 {time.perf_counter() - started:.1f} 秒）"
        )
