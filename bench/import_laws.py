"""Full import benchmark: all three shared law files plus the index build, on a fresh database.

  FAZHI_VAR_DIR=/tmp/fazhi-bench-import .venv/bin/python bench/import_laws.py

Runs `migrate`, then `import laws` (which rebuilds the "laws" index after a bulk import) in a
private var directory, and prints the wall time of each step and the resulting counts. The
bar for issue #2 is < 3 minutes on the 2-core CI machine.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    var_dir = Path(os.environ.get("FAZHI_VAR_DIR") or tempfile.mkdtemp(prefix="fazhi-bench-import-"))
    if var_dir.exists():
        shutil.rmtree(var_dir)
    var_dir.mkdir(parents=True)
    os.environ["FAZHI_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from fazhi.laws.models import Article, Law, LawVersion
    from fazhi.search import registry

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    call_command("import_laws", verbosity=0)
    t2 = time.perf_counter()
    docs = registry.get("laws").index.num_docs()
    print(f"var dir {var_dir}")
    print(f"migrate {t1 - t0:.1f} s; import + index build {t2 - t1:.1f} s")
    print(
        f"laws {Law.objects.count()}, versions {LawVersion.objects.count()}, "
        f"articles {Article.objects.count()}, indexed {docs}"
    )


if __name__ == "__main__":
    main()
