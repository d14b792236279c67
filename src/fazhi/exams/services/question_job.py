"""The 题库 import (JSON or Excel) as a 后台任务 (fazhi.core.jobs): up to 20,000 rows are read, checked and
saved in the task process while the job page shows 读取 / 校验 / 保存; "只检查，不导入" runs the same checks
and saves nothing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fazhi.core import jobs
from fazhi.core.errors import PermissionDenied
from fazhi.core.models import Job
from fazhi.core.permissions import has_role
from fazhi.exams import selectors
from fazhi.exams.services import bank, question_files

NAME = "exams.question_import"
SHOWN_DUPLICATES = 50  # row numbers listed; the rest are counted
MAX_BYTES = 20 * 1024 * 1024  # 20,000 questions with long stems fit well within it


def start(*, actor: object, upload: Any, dry_run: bool) -> Job:
    """Queue the import (or the check) of `upload`, after refusing a file it could never read."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    question_files.check_upload(name=upload.name or "", content=content)
    return jobs.start(
        NAME,
        actor=actor,
        upload=upload,
        params={"dry_run": dry_run},
        title="检查试题文件（不导入）" if dry_run else "导入试题",
    )


def run(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    if not has_role(job.created_by, *selectors.ADMIN_ROLES):  # the role may have been taken away since
        raise PermissionDenied("只有考试管理员可以导入试题。")
    progress("读取", 0, 0)
    with job.file.open("rb") as fh:
        rows = question_files.parse_upload(fh.read())
    report = bank.import_questions(rows=rows, dry_run=bool(job.params.get("dry_run")), progress=progress)
    notes = []
    if report.duplicates:
        shown = "、".join(str(n) for n in report.duplicates[:SHOWN_DUPLICATES])
        more = len(report.duplicates) - SHOWN_DUPLICATES
        notes.append(
            f"重复（已跳过）的行：{shown}" + (f" 等，共 {len(report.duplicates)} 行" if more > 0 else "")
        )
    return jobs.Outcome(
        summary=report.summary(),
        errors=[str(e) for e in report.errors],
        notes=notes,
        next_url=reverse("exams:manage"),
        next_label="返回考试管理",
    )


KIND = jobs.Kind(
    NAME,
    title="导入试题",
    run=run,
    unit="行",
    internal_error_note="本次未导入任何试题。",
    retry_url="exams:manage_import",
)
