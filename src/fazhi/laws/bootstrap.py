"""`fazhi data ensure` hook: import the shared law files when the library is empty."""

from __future__ import annotations

from typing import TextIO

from fazhi.laws.models import Law


def ensure_data(stdout: TextIO) -> None:
    if Law.objects.exists():
        stdout.write("法规库已有数据，跳过导入。\n")
        return
    from fazhi.laws import services

    stdout.write("导入法规库（首次运行约需一两分钟）…\n")
    report = services.import_laws()
    stdout.write(
        f"法规库：{report.laws_created} 部法规，{report.versions_created} 个版本，"
        f"{report.articles_created} 条条文，{len(report.errors)} 行错误。\n"
    )
