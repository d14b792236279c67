"""`fazhi data ensure` hook: import the shared law files when the library is empty; keep the citation index
up to date."""

from __future__ import annotations

from typing import TextIO

from fazhi.laws.models import Law


def ensure_data(stdout: TextIO) -> None:
    if Law.objects.exists():
        stdout.write("法规库已有数据，跳过导入。\n")
        ensure_citation_index(stdout)
        ensure_ranking(stdout)
        return
    from fazhi.laws import services

    stdout.write("导入法规库（首次运行约需一两分钟）…\n")
    report = services.import_laws()
    stdout.write(
        f"法规库：{report.laws_created} 部法规，{report.versions_created} 个版本，"
        f"{report.articles_created} 条条文，{len(report.errors)} 行错误。\n"
    )
    ensure_ranking(stdout)


def ensure_citation_index(stdout: TextIO) -> None:
    """Scan the versions the citation index does not cover yet (all of them, once, after an upgrade)."""
    from fazhi.laws import citation_index

    report = citation_index.sync()
    if report.scanned or report.dropped:
        stdout.write(f"条文引用索引：扫描 {report.scanned} 个版本，{report.citations} 条引用。\n")


def ensure_ranking(stdout: TextIO) -> None:
    """Train the article-search ranking model (issue #8) when none fits the library yet."""
    from fazhi.laws import ranking
    from fazhi.laws.ranking import training
    from fazhi.laws.ranking.hooks import active_model

    if not Law.objects.exists() or not training.training_file().exists() or active_model() is not None:
        return
    stdout.write("训练条文检索排序模型（约一两分钟）…\n")
    ranking.train_and_save(stdout=stdout, min_coverage=0.5)
