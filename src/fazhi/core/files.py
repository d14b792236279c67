"""Uploaded files that no record refers to any more (orphans), found and removed on request.

A file is written before the row that names it is committed; when that transaction rolls back (a later
check failed, the database went away, an outer caller raised), the file stays on disk with nothing
pointing at it. Nothing deletes files on its own: `fazhi files orphans` lists them, and with
`--delete` removes those older than `--hours` (default 24, so that an upload whose transaction is
still running is never touched).

Contract:
- `referenced_names()` → every name stored in any FileField/ImageField of any installed model.
- `find_orphans(min_age=…)` → the files under MEDIA_ROOT not referenced and last modified before
  now − min_age, sorted by path, each with its size and modification time.
- `delete_orphans(orphans)` → (files removed, bytes freed); a file referenced meanwhile is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


@dataclass(frozen=True)
class Orphan:
    name: str  # relative to MEDIA_ROOT, with forward slashes (as stored in a FileField)
    size: int
    modified: dt.datetime


def _file_fields() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field.attname))
    return found


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model, attname in _file_fields():
        rows = model._default_manager.exclude(**{attname: ""}).exclude(**{f"{attname}__isnull": True})
        names.update(str(n) for n in rows.values_list(attname, flat=True).iterator() if n)
    return names


def find_orphans(
    *, min_age: dt.timedelta = dt.timedelta(hours=24), now: dt.datetime | None = None
) -> list[Orphan]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    cutoff = (now or timezone.now()).timestamp() - min_age.total_seconds()
    referenced = referenced_names()
    out = []
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        if name in referenced or stat.st_mtime > cutoff:
            continue
        out.append(Orphan(name, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)))
    return sorted(out, key=lambda o: o.name)


def delete_orphans(orphans: list[Orphan]) -> tuple[int, int]:
    root = Path(settings.MEDIA_ROOT)
    referenced = referenced_names()  # read again: a record may have come to name one meanwhile
    removed = freed = 0
    for orphan in orphans:
        if orphan.name in referenced:
            continue
        path = root / orphan.name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        freed += orphan.size
    return removed, freed
