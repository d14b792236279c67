"""`fazhi import policies [PATH]`: import the shared 惠企政策 JSONL (idempotent by docid)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fazhi.core.errors import DomainError
from fazhi.policies import importer


class Command(BaseCommand):
    help = "导入惠企政策（JSONL：每行 {docid, text}），可重复执行"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path", nargs="?", help="JSONL 文件，默认 FAZHI_DATA_DIR/policies/ncpqa-policies.jsonl"
        )
        parser.add_argument(
            "--reextract",
            action="store_true",
            help="正文未变的政策也按当前规则重新识别发文机关、日期、有效期等；管理员修改过这些字段的政策保留不动",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="与 --reextract 同用：管理员修改过的政策也重新识别（覆盖人工修改）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts.get("force") and not opts.get("reextract"):
            raise CommandError("--force 须与 --reextract 一起使用。")
        path = Path(opts["path"]) if opts.get("path") else importer.default_path()
        if not path.exists():
            raise CommandError(f"找不到文件：{path}")
        lines = importer.count_lines(path)
        with tqdm(total=lines, desc="惠企政策", unit="行", disable=opts.get("verbosity", 1) == 0) as bar:
            try:
                report = importer.import_policies(
                    path=path,
                    progress=bar.update,
                    reextract=bool(opts.get("reextract")),
                    force=bool(opts.get("force")),
                )
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，错误 {len(report.errors)}。"
        )
        if report.corrected:
            self.stdout.write(
                f"管理员修改过的 {report.corrected} 条保留未动（如需按新规则覆盖，加 --force）。"
            )
        total = report.total or 1
        found = "，".join(
            f"{label} {report.found[key]}/{total}" for key, label in importer.FOUND_LABELS.items()
        )
        self.stdout.write(f"从正文识别：{found}。")
        for err in report.errors:
            self.stderr.write(err)
