"""后台任务 (core.Job): long work started from a page, run by the task process, with its progress shown.

An app registers each kind of work once, in AppConfig.ready():

    jobs.register(Kind("policies.excel_import", title="导入惠企政策", unit="行", run=_run, retry_url=...))

`run(job, progress)` does the work and returns an Outcome; it calls `progress(stage, done, total)` as it
goes. `start(kind, actor=..., upload=...)` saves the job (and the uploaded file) and hands it to the task
process (Django tasks, `fazhi db_worker`, started by `fazhi serve`); /jobs/<id>/ shows it to the person
who started it until it ends.

How a job ends:
- the work returns an Outcome without errors → 已完成, with its summary and notes;
- it returns errors (e.g. rows that failed validation, so nothing was saved) → 未完成, with the errors;
- it raises a DomainError → 未完成 with that message (for the user, in Chinese);
- anything else → 未完成 with a general message; the traceback goes to the log, never to the page.

Progress is written to the job row at most every PROGRESS_EVERY seconds (and at each new stage), so a
page polling every second sees it move without the work paying a write per row. Progress reported inside
a transaction becomes visible when the transaction commits; work that holds one open for long should
announce its stage before entering it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from fazhi.core.errors import DomainError, ValidationFailed
from fazhi.core.limits import check_field
from fazhi.core.models import Job

log = logging.getLogger(__name__)

PROGRESS_EVERY = 0.5  # seconds between two progress writes within one stage
QUEUED_TOO_LONG = 60  # seconds a job may wait before the page says the task process may not be running
SILENT_TOO_LONG = 600  # seconds without progress before the page says the work may have stopped
INTERNAL_ERROR = "任务执行时发生系统内部错误，已记录日志，请联系系统管理员。"

Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    summary: str
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    next_url: str = ""
    next_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "notes": list(self.notes),
            "errors": list(self.errors),
            "next_url": self.next_url,
            "next_label": self.next_label,
        }


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    run: Callable[[Job, Progress], Outcome]
    unit: str = "项"  # what `done`/`total` count, as the page says it (行, 题, 条)
    internal_error_note: str = ""  # said after an unexpected failure, e.g. "本次未保存任何数据。"
    retry_url: str = ""  # URL name of the page that starts the same work again (shown when it ends)


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _kinds[kind.name] = kind


def start(
    name: str,
    *,
    actor: Any,
    upload: UploadedFile | None = None,
    params: dict | None = None,
    title: str = "",
) -> Job:
    """Save the job (with its file) and queue it; the caller redirects to the job's page. `title` names
    this job when it differs from the kind's (e.g. a check that saves nothing)."""
    kind = _kinds.get(name)
    if kind is None:
        raise ValidationFailed(f"未知的任务类型：{name}。")
    if not actor.is_authenticated:
        raise ValidationFailed("请先登录。")
    job = Job(kind=kind.name, title=title or kind.title, created_by=actor, params=params or {})
    if upload is not None:
        upload.seek(0)
        # 原文件名, the record of what was sent: refused over its 255 characters, never cut.
        job.file_name = check_field(
            upload.name or "", Job, "file_name", "文件名", hint="请将文件改名后重新上传"
        )
        job.file.save(_stored_name(upload.name or ""), upload, save=False)
    job.save()
    # Enqueued in the caller's transaction: the task row and the job row are committed together (the
    # database backend), or the work runs here and now (the immediate backend, in tests).
    run_job.enqueue(job.pk)
    return job


def _stored_name(name: str) -> str:
    """Only the extension of the uploader's name is kept (the name itself may hold anything)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f"upload.{ext}" if ext.isalnum() and len(ext) <= 5 else "upload"


@task()
def run_job(job_id: int) -> None:
    execute(job_id)


def execute(job_id: int) -> Job | None:
    """Run a queued job once (a job already taken by another worker is left alone)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    kind = _kinds.get(job.kind)
    try:
        if kind is None:
            raise ValidationFailed("这种任务已不再受支持，请重新提交。")
        outcome = kind.run(job, _progress_writer(job))
    except DomainError as exc:
        _finish(job, Job.Status.FAILED, error=exc.message)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error=INTERNAL_ERROR + (kind.internal_error_note if kind else ""))
    else:
        if outcome.errors:
            _finish(job, Job.Status.FAILED, error=outcome.summary, result=outcome.as_dict())
        else:
            _finish(job, Job.Status.DONE, result=outcome.as_dict())
    return job


def _finish(job: Job, status: str, *, error: str = "", result: dict | None = None) -> None:
    job.status = status
    job.error = error
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "error", "result", "finished_at", "updated_at", "stage", "done", "total"]
    )


def _progress_writer(job: Job) -> Progress:
    last_stage: list[str] = [""]
    last_at: list[float] = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        done, total = max(0, done), max(0, total)
        job.stage, job.done, job.total = stage[:50], done, (max(total, done) if total else 0)  # 0: not known
        now = time.monotonic()
        if (
            stage == last_stage[0]
            and now - last_at[0] < PROGRESS_EVERY
            and (not job.total or done < job.total)
        ):
            return
        last_stage[0], last_at[0] = stage, now
        Job.objects.filter(pk=job.pk).update(
            stage=job.stage, done=job.done, total=job.total, updated_at=timezone.now()
        )

    return progress


def visible_to(user: Any) -> Any:
    """The jobs a user may look at: the ones the user started."""
    return Job.objects.filter(created_by=user)


def find(user: Any, job_id: int) -> Job | None:
    return visible_to(user).filter(pk=job_id).first()


@dataclass(frozen=True)
class View:
    """What the page and the API say about a job."""

    job: Job
    unit: str
    retry_url: str
    warning: str

    @property
    def progress_text(self) -> str:
        job = self.job
        if job.status == Job.Status.QUEUED:
            return "排队等待中…"
        if job.status == Job.Status.RUNNING:
            if not job.stage:
                return "已开始…"
            if job.total:
                return f"正在{job.stage}：{job.done:,} / {job.total:,} {self.unit}"
            if job.done:
                return f"正在{job.stage}：已处理 {job.done:,} {self.unit}"
            return f"正在{job.stage}…"
        return job.get_status_display()


def describe(job: Job, *, now: Any = None) -> View:
    kind = _kinds.get(job.kind)
    now = now or timezone.now()
    warning = ""
    if job.status == Job.Status.QUEUED and (now - job.created_at).total_seconds() > QUEUED_TOO_LONG:
        warning = (
            "任务已排队超过1分钟仍未开始，后台任务进程可能没有运行。请确认服务是用 make run 或 fazhi serve "
            "启动的（会同时启动任务进程），或在服务器上运行 fazhi db_worker。"
        )
    elif job.status == Job.Status.RUNNING and (now - job.updated_at).total_seconds() > SILENT_TOO_LONG:
        warning = "进度已超过10分钟没有更新，任务进程可能已中断。可稍后刷新查看，或重新提交。"
    retry_url = reverse(kind.retry_url) if kind and kind.retry_url else ""
    return View(job=job, unit=kind.unit if kind else "项", retry_url=retry_url, warning=warning)


def delete_old_files(now: Any = None) -> int:
    """Delete the uploads of jobs that ended more than FAZHI_JOB_FILE_DAYS days ago (the periodic job
    core.job_files); the job rows keep the file's name and the result. Returns how many were deleted."""
    days = settings.FAZHI_JOB_FILE_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(file="")
    deleted = 0
    for job in old.iterator():
        job.file.delete(save=False)  # a file already missing from the disk is no error
        Job.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted
