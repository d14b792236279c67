"""`fazhi data ensure`: import the shared policy documents once (skipped when policies exist)."""

from __future__ import annotations

from typing import Any

from fazhi.policies import importer
from fazhi.policies.models import Policy
from fazhi.search import build


def ensure_data(stdout: Any) -> None:
    if Policy.objects.exists():
        stdout.write(f"惠企政策：已有 {Policy.objects.count()} 条，跳过导入。\n")
        return
    path = importer.default_path()
    if not path.exists():
        stdout.write(f"惠企政策：找不到 {path}，跳过。\n")
        return
    report = importer.import_policies(path=path)
    count = build.rebuild("policies")
    stdout.write(f"惠企政策：导入 {report.created} 条（错误 {len(report.errors)}），索引 {count} 条。\n")
