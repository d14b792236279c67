"""`fazhi import questions PATH [--format auto|json|excel|jecqa|disc] [--limit N] [--dry-run]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fazhi.core.errors import ValidationFailed
from fazhi.exams.services import bank, question_files


class Command(BaseCommand):
    help = "导入试题：JSON、Excel，或共享演示数据（JEC-QA、DISC-Law-Eval，仅供演示和测试，不是本平台的内容）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件路径；jecqa / disc-basic / disc-civil 表示共享演示数据文件")
        parser.add_argument("--format", default="auto", choices=["auto", "json", "excel", "jecqa", "disc"])
        parser.add_argument("--limit", type=int, default=None, help="只导入前 N 行")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, **options):
        shortcuts = {
            "jecqa": "jecqa-admin-law.jsonl",
            "disc-basic": "disc-basic-legal-knowledge-single.csv",
            "disc-civil": "disc-civil-service-exam-single.csv",
        }
        name = options["path"]
        path = question_files.shared_file(shortcuts[name]) if name in shortcuts else Path(name)
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            rows = question_files.rows_for_format(path, options["format"], options["limit"])
        except ValidationFailed as exc:
            raise CommandError(exc.message) from None
        report = bank.import_questions(
            rows=tqdm(rows, desc="检查并导入试题", unit="行"), dry_run=options["dry_run"]
        )
        for err in report.errors[:200]:
            self.stderr.write(str(err))
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} 行有错误，未导入。")
