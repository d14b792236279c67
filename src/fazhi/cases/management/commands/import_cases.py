"""`fazhi import cases [PATH]`: import case excerpts (JSON lines) for demos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fazhi.cases.importer import import_records, read_jsonl
from fazhi.core.errors import ValidationFailed


def default_path() -> Path:
    return Path(settings.FAZHI_DATA_DIR) / "cases" / "case-excerpts.jsonl"


class Command(BaseCommand):
    help = "导入以案释法案例摘录（JSON Lines，每行一个案例：kind/url/note/excerpt）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path", nargs="?", help="JSONL 文件路径（默认：共享数据 cases/case-excerpts.jsonl）"
        )
        parser.add_argument("--draft", action="store_true", help="导入为草稿，不直接发布")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"]) if options["path"] else default_path()
        if not path.exists():
            raise CommandError(f"找不到案例文件：{path}")
        try:
            records = read_jsonl(path)
            result = import_records(records, publish=not options["draft"])
        except ValidationFailed as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"案例导入完成：新增 {result.created} 条，更新 {result.updated} 条，跳过 {result.skipped} 条。"
        )
        for problem in result.unresolved:
            self.stdout.write(f"  未能关联：{problem}")
