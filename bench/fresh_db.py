"""A bench's own empty database: a new var directory (removed first if it exists), Django set up on it and
migrated. Call before importing anything from fazhi, so the real data under var/ is never touched."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def setup(var: str | Path) -> Path:
    var_dir = Path(var)
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    os.environ["FAZHI_VAR_DIR"] = str(var_dir)
    os.environ["FAZHI_INDEX_DIR"] = str(var_dir / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var_dir
