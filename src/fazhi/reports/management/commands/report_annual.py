"""`fazhi report annual --year 2025 --unit 区财政局 [--output PATH]`: write the annual report draft (.docx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.errors import DomainError
from fazhi.reports import annual, selectors
from fazhi.reports import figures as figs


class Command(BaseCommand):
    help = "根据平台数据生成年度法治政府建设工作报告草稿（.docx）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="报告年度，如 2025")
        parser.add_argument("--unit", default="", help=f"单位，默认 {figs.org_name()}（全局）")
        parser.add_argument("--output", default="", help="输出文件路径，默认 var/reports/ 下")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ctx = selectors.parse_context(year=options["year"], unit=options["unit"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        collected = figs.collect(ctx, compare=True)
        data = annual.build(collected)
        path = Path(options["output"]) if options["output"] else annual.default_path(ctx)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stdout.write(f"已生成 {path}（{len(collected.figures)} 项数据）")
        if collected.unavailable:
            self.stdout.write(f"暂不可用的板块：{'、'.join(collected.unavailable)}")
