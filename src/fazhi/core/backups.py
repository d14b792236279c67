"""数据备份与恢复: one archive holds the database and every uploaded file, with a manifest to check it by.

GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》8.1.4.9 数据备份恢复 a)：应提供重要数据的本地数据备份
与恢复功能. `fazhi backup create` writes var/backups/fazhi-backup-<时间>.tar.gz (FAZHI_BACKUP_DIR), keeping
the newest FAZHI_BACKUP_KEEP archives; `fazhi backup verify FILE` checks one; `fazhi backup restore FILE
--yes` puts it back. With FAZHI_BACKUP_DAILY=1 the periodic loop makes one a day.

Contract:
- The archive holds manifest.json, the database (SQLite: a consistent copy made with SQLite's online
  backup, safe while the site runs; PostgreSQL: `pg_dump -Fc`) and media/ (every uploaded file). The
  manifest records when, which database engine, the rows of every table and the SHA-256 of every member.
- `verify(path)` reads every member and compares it with the manifest (ValidationFailed saying what is
  wrong); `restore` verifies first and changes nothing when the archive is damaged.
- Restoring a SQLite backup keeps the current database and upload directory beside them
  (….before-restore-<时间>); restoring a PostgreSQL backup replaces the tables (`pg_restore --clean`).
  Stop the site (`make run` / `fazhi serve`) before restoring.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from fazhi.core.errors import ValidationFailed

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.dump"
PREFIX = "fazhi-backup-"


@dataclass
class Result:
    path: Path
    manifest: dict[str, Any]

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_dir() -> Path:
    return Path(settings.FAZHI_BACKUP_DIR)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}


def _dump_database(target_dir: Path) -> str:
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:  # SQLite's online backup waits for the open transaction to end
            raise ValidationFailed("不能在数据库事务中备份，请直接运行 fazhi backup create。")
        target = target_dir / SQLITE_MEMBER
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # SQLite's online backup: a consistent copy
        finally:
            dest.close()
        return SQLITE_MEMBER
    if connection.vendor == "postgresql":
        target = target_dir / PG_MEMBER
        _pg_run(["pg_dump", "-Fc", "--no-owner", "-f", str(target), *_pg_args()], "备份")
        return PG_MEMBER
    raise ValidationFailed(f"不支持备份 {connection.vendor} 数据库。")


def _pg_args() -> list[str]:
    db = connection.settings_dict
    return [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
        "-d",
        str(db["NAME"]),
    ]


def _pg_run(args: list[str], what: str) -> None:
    env = {**os.environ, "PGPASSWORD": str(connection.settings_dict.get("PASSWORD") or "")}
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise ValidationFailed(
            f"找不到 {args[0]}：请安装 PostgreSQL 客户端（Debian：apt install postgresql-client）后再{what}。"
        ) from exc
    if done.returncode != 0:
        raise ValidationFailed(f"{args[0]} 执行失败（返回码 {done.returncode}）：{done.stderr.strip()[:500]}")


def create(dest: Path | None = None, *, keep: int | None = None, now: dt.datetime | None = None) -> Result:
    """Write a new archive into `dest` (FAZHI_BACKUP_DIR) and keep the newest `keep` (FAZHI_BACKUP_KEEP)."""
    dest = Path(dest or backup_dir())
    dest.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    name = f"{PREFIX}{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=dest) as tmp:
        work = Path(tmp)
        database = _dump_database(work)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        checksums = {database: _sha256(work / database)}
        for p in files:
            checksums["media/" + p.relative_to(media).as_posix()] = _sha256(p)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "database": database,
            "media_files": len(files),
            "rows": _row_counts(),
            "sha256": checksums,
        }
        partial = work / (name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(work / database, arcname=database)
            for p in files:
                tar.add(p, arcname="media/" + p.relative_to(media).as_posix())
        final = dest / name
        partial.replace(final)  # an interrupted backup never leaves a half archive under the final name
    prune(dest, keep if keep is not None else settings.FAZHI_BACKUP_KEEP)
    return Result(final, manifest)


def prune(dest: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives (0 keeps them all)."""
    if keep <= 0:
        return []
    archives = sorted(Path(dest).glob(f"{PREFIX}*.tar.gz"), reverse=True)
    old = archives[keep:]
    for p in old:
        p.unlink(missing_ok=True)
    return old


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for m in members:
        parts = Path(m.name).parts
        if m.name.startswith("/") or ".." in parts or not (m.isfile() or m.isdir()):
            raise ValidationFailed(f"备份文件中有不安全的条目：{m.name[:100]}，已拒绝。")
    return members


def verify(path: Path) -> dict[str, Any]:
    """The manifest of an archive whose every member matches its checksum; ValidationFailed otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ValidationFailed(f"找不到备份文件：{path}")
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: m for m in _safe_members(tar) if m.isfile()}
            if MANIFEST not in members:
                raise ValidationFailed("不是本系统的备份文件（缺少 manifest.json）。")
            manifest = json.loads(tar.extractfile(members[MANIFEST]).read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT:
                raise ValidationFailed(f"备份格式版本 {manifest.get('format')} 无法识别。")
            expected: dict[str, str] = manifest["sha256"]
            missing = sorted(set(expected) - set(members))
            if missing:
                raise ValidationFailed(f"备份文件不完整，缺少 {len(missing)} 项，如 {missing[0]}。")
            for name, digest in expected.items():
                h = hashlib.sha256()
                fh = tar.extractfile(members[name])
                assert fh is not None
                for block in iter(lambda fh=fh: fh.read(1 << 20), b""):  # type: ignore[misc]
                    h.update(block)
                if h.hexdigest() != digest:
                    raise ValidationFailed(f"备份文件已损坏：{name} 的校验值不符。")
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, KeyError) as exc:
        raise ValidationFailed(f"备份文件无法读取或已损坏：{exc}") from exc
    return manifest


def restore(path: Path, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Put an archive back: verify it, then the database and the uploaded files. Returns its manifest."""
    manifest = verify(path)
    if manifest["engine"] != connection.vendor:
        raise ValidationFailed(
            f"这是 {manifest['engine']} 数据库的备份，当前系统使用 {connection.vendor}，不能直接恢复。"
        )
    stamp = f"{timezone.localtime(now or timezone.now()):%Y%m%d-%H%M%S}"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(work, members=_safe_members(tar), filter="data")
        if manifest["engine"] == "sqlite":
            _restore_sqlite(work / SQLITE_MEMBER, Path(connection.settings_dict["NAME"]), stamp)
        else:
            _pg_run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", *_pg_args(), str(work / PG_MEMBER)],
                "恢复",
            )
        _restore_media(work / "media", Path(settings.MEDIA_ROOT), stamp)
    return manifest


def _restore_sqlite(source: Path, target: Path, stamp: str) -> None:
    connection.close()
    if target.exists():
        shutil.copy2(target, target.with_name(f"{target.name}.before-restore-{stamp}"))
    for suffix in ("-wal", "-shm"):  # the old write-ahead log must not be replayed onto the restored file
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


def _restore_media(source: Path, target: Path, stamp: str) -> None:
    if target.exists():
        target.rename(target.with_name(f"{target.name}.before-restore-{stamp}"))
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        target.mkdir(parents=True)


def daily() -> None:
    """The periodic job core.backup (registered only with FAZHI_BACKUP_DAILY=1)."""
    create()
