"""Demo data: import the shared case excerpts (published) when the file is there."""

from __future__ import annotations

from typing import Any

from fazhi.cases.importer import import_records, read_jsonl
from fazhi.cases.management.commands.import_cases import default_path
from fazhi.cases.models import Case


def setup_demo(stdout: Any) -> None:
    path = default_path()
    if not path.exists():
        stdout.write(f"以案释法演示数据：未找到 {path}，跳过。\n")
        return
    if Case.objects.filter(external_key__isnull=False).exists():
        # Re-link articles that could not be resolved before the law library was imported.
        result = import_records(read_jsonl(path))
        stdout.write(f"以案释法演示数据：已存在，更新 {result.updated} 条。\n")
        return
    result = import_records(read_jsonl(path))
    stdout.write(f"以案释法演示数据：导入 {result.created} 条案例。\n")
