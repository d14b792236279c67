"""数据备份与恢复: `fazhi backup create` archives the database and the uploads with a manifest, `verify`
catches a damaged or foreign archive, `restore` puts the data back (refusing a damaged archive without
touching anything), old archives are pruned. SQLite end to end through the command line on a database of
its own; PostgreSQL through pg_dump / pg_restore on the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fazhi.core import backups
from fazhi.core.errors import ValidationFailed
from fazhi.core.models import Message

ROOT = Path(__file__).resolve().parents[2]


def fazhi(var: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(FAZHI_VAR_DIR=str(var), FAZHI_INDEX_DIR=str(var / "index"), FAZHI_SKIP_DATA="1")
    return subprocess.run(
        [sys.executable, "-c", "from fazhi.cli import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_sqlite_backup_verify_and_restore_end_to_end(tmp_path):
    var = tmp_path / "var"
    assert fazhi(var, "migrate", "--noinput").returncode == 0
    make = (
        "from fazhi.core.services import ensure_user, notify;"
        "u = ensure_user(username='keeper', display_name='甲', role_names=[], password='x-pass-2026');"
        "notify(recipient=u, title='备份前的消息');"
        "import pathlib; p = pathlib.Path('{media}/review/2026/意见书.docx'); p.parent.mkdir(parents=True);"
        "p.write_bytes(b'PK docx')"
    ).format(media=var / "media")
    assert fazhi(var, "shell", "-c", make).returncode == 0

    done = fazhi(var, "backup", "create")
    assert done.returncode == 0, done.stderr
    assert "已备份" in done.stdout and "1 个上传文件" in done.stdout
    (archive,) = (var / "backups").glob("fazhi-backup-*.tar.gz")
    checked = fazhi(var, "backup", "verify", str(archive))
    assert checked.returncode == 0 and "校验值全部相符" in checked.stdout
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {"manifest.json", "database.sqlite3", "media/review/2026/意见书.docx"} <= set(tar.getnames())
    assert manifest["engine"] == "sqlite" and manifest["rows"]["core.Message"] == 1

    # Afterwards: a second message, the upload deleted. Restoring brings back the state of the backup.
    change = (
        "from fazhi.core.models import User; from fazhi.core.services import notify;"
        "notify(recipient=User.objects.get(username='keeper'), title='备份后的消息');"
        f"import pathlib; pathlib.Path('{var}/media/review/2026/意见书.docx').unlink()"
    )
    assert fazhi(var, "shell", "-c", change).returncode == 0
    refused = fazhi(var, "backup", "restore", str(archive))
    assert refused.returncode != 0 and "加 --yes" in refused.stderr
    restored = fazhi(var, "backup", "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    titles = fazhi(
        var,
        "shell",
        "-c",
        "from fazhi.core.models import Message; print(list(Message.objects.values_list('title', flat=True)))",
    )
    assert titles.stdout.strip().splitlines()[-1] == "['备份前的消息']"
    assert (var / "media/review/2026/意见书.docx").read_bytes() == b"PK docx"
    assert list(var.glob("fazhi.sqlite3.before-restore-*")) and list(var.glob("media.before-restore-*"))


def _tamper(archive: Path, out: Path, member: str, data: bytes) -> None:
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for m in src.getmembers():
            body = src.extractfile(m).read() if m.isfile() else b""
            if m.name == member:
                body = data
            m.size = len(body)
            import io

            dst.addfile(m, io.BytesIO(body))


def test_verify_catches_damage_and_foreign_files(transactional_db, tmp_path, settings):
    settings.FAZHI_BACKUP_DIR = tmp_path / "b"
    (Path(settings.MEDIA_ROOT) / "x").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "x" / "a.txt").write_bytes(b"original")
    result = backups.create()
    assert backups.verify(result.path)["media_files"] == 1
    bad = tmp_path / "bad.tar.gz"
    _tamper(result.path, bad, "media/x/a.txt", b"changed!")
    with pytest.raises(ValidationFailed, match="media/x/a.txt 的校验值不符"):
        backups.verify(bad)
    with pytest.raises(CommandError, match="已损坏"):
        call_command("backup_restore", str(bad), "--yes")
    assert (Path(settings.MEDIA_ROOT) / "x" / "a.txt").read_bytes() == b"original"  # nothing touched
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.add(Path(settings.MEDIA_ROOT) / "x" / "a.txt", arcname="a.txt")
    with pytest.raises(ValidationFailed, match="缺少 manifest.json"):
        backups.verify(other)
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(ValidationFailed, match="无法读取或已损坏"):
        backups.verify(tmp_path / "junk.tar.gz")
    with pytest.raises(ValidationFailed, match="找不到备份文件"):
        backups.verify(tmp_path / "missing.tar.gz")


def test_old_archives_are_pruned(transactional_db, tmp_path, settings):
    import datetime as dt

    from django.utils import timezone

    start = timezone.now()
    for i in range(4):
        backups.create(tmp_path, keep=3, now=start + dt.timedelta(minutes=i))
    names = sorted(p.name for p in tmp_path.glob("fazhi-backup-*.tar.gz"))
    assert len(names) == 3 and names[0].endswith(
        f"{timezone.localtime(start + dt.timedelta(minutes=1)):%H%M%S}.tar.gz"
    )
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore(tmp_path, settings, clerk_tx):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (pg_dump / pg_restore); SQLite is tested end to end above")
    Message.objects.create(recipient=clerk_tx, title="备份前")
    result = backups.create(tmp_path)
    assert result.manifest["engine"] == "postgresql" and result.manifest["rows"]["core.Message"] == 1
    Message.objects.create(recipient=clerk_tx, title="备份后")
    backups.restore(result.path)
    connection.close()
    assert list(Message.objects.values_list("title", flat=True)) == ["备份前"]


@pytest.fixture
def clerk_tx(transactional_db):
    from fazhi.core.services import ensure_user

    return ensure_user(username="clerk_tx", display_name="甲", role_names=[], password="x-pass-2026")
