"""Periodic jobs (daily reminders, subscription mail): apps register them in AppConfig.ready().

`fazhi periodic run` runs every job that is due (each job records when it last ran, so a job runs
at most once per interval however many processes call it); `make run` keeps it looping.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    func: Callable[[], object]
    every: dt.timedelta


_jobs: dict[str, Job] = {}


def register(name: str, func: Callable[[], object], *, every: dt.timedelta = dt.timedelta(days=1)) -> None:
    _jobs[name] = Job(name, func, every)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_due(now: dt.datetime | None = None, *, force: bool = False) -> list[str]:
    """Run each due job once; returns the names that ran."""
    from fazhi.core.models import PeriodicRun

    now = now or timezone.now()
    ran = []
    for job in _jobs.values():
        with transaction.atomic():
            state, _ = PeriodicRun.objects.select_for_update().get_or_create(name=job.name)
            if not force and state.last_run_at and now - state.last_run_at < job.every:
                continue
            state.last_run_at = now
            state.save(update_fields=["last_run_at"])
        try:
            job.func()
            ran.append(job.name)
        except Exception:
            log.exception("periodic job %s failed", job.name)
    return ran
