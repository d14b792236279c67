"""`fazhi import policies [PATH]`: import the shared 惠企政策 JSONL (idempotent by docid), or an Excel
workbook filled in from the admin's template (`fazhi import policies 文件.xlsx --as 账号`: all rows or none,
progress shown while reading, checking and saving)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fazhi.core import audit
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.policies import excel, importer
from fazhi.policies.models import Policy


class Command(BaseCommand):
    help = "导入惠企政策（JSONL：每行 {docid, text}；或按后台模板填写的 .xlsx，须加 --as 账号），可重复执行"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="JSONL 文件（默认 FAZHI_DATA_DIR/policies/ncpqa-policies.jsonl）或 Excel 模板文件（.xlsx）",
        )
        parser.add_argument(
            "--as", dest="username", help="导入 .xlsx 时以哪个账号导入（须可维护惠企政策，记入审计日志）"
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
        if path.suffix.lower() == ".xlsx":
            if opts.get("reextract") or opts.get("force"):
                raise CommandError("--reextract 和 --force 只用于 JSONL 文件，导入 Excel 时不可用。")
            self._import_excel(path, opts)
            return
        lines = importer.count_lines(path)
        quiet = opts.get("verbosity", 1) == 0
        bars: list[tqdm] = []

        def grouping(n: int) -> None:  # the second stage's bar starts when the file has been read
            if len(bars) == 1:
                bars[0].close()
                bars.append(tqdm(total=Policy.objects.count(), desc="比对相近内容", unit="条", disable=quiet))
            bars[-1].update(n)

        bars.append(tqdm(total=lines, desc="惠企政策", unit="行", disable=quiet))
        try:
            report = importer.import_policies(
                path=path,
                progress=bars[0].update,
                reextract=bool(opts.get("reextract")),
                force=bool(opts.get("force")),
                grouping=grouping,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(
            f"新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}，错误 {len(report.errors)}。"
        )
        self.stdout.write(f"内容相同或相近的转载：{report.grouped} 条（搜索结果中合并显示）。")
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

    def _import_excel(self, path: Path, opts: dict[str, Any]) -> None:
        if not opts.get("username"):
            raise CommandError("导入 Excel 须用 --as 指定账号，如 --as admin。")
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"账号“{opts['username']}”不存在。")
        bars: dict[str, tqdm] = {}
        quiet = opts.get("verbosity", 1) == 0

        def progress(stage: str, done: int, total: int) -> None:
            bar = bars.get(stage)
            if bar is None:
                for earlier in bars.values():  # a stage starts when the one before has finished
                    earlier.close()
                bar = bars[stage] = tqdm(total=total or None, desc=stage, unit="行", disable=quiet)
            bar.total = max(total, done) if total else None  # 0: the file did not say how many rows
            bar.update(done - bar.n)

        try:
            with audit.acting_as(user):
                report = excel.import_rows(path.read_bytes(), actor=user, name=path.name, progress=progress)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            for bar in bars.values():
                bar.close()
        for note in report.skipped:
            self.stdout.write(note)
        if report.errors:
            for err in report.errors:
                self.stderr.write(err)
            raise CommandError(f"发现 {len(report.errors)} 处错误，未导入任何数据。")
        self.stdout.write(self.style.SUCCESS(report.summary))
