"""`fazhi` command: Django's manage.py with two-word commands.

`fazhi import laws PATH` runs the management command `import_laws PATH`; `fazhi audit verify` runs
`audit_verify`. A first word that is a command by itself (`fazhi migrate`) runs as usual.
"""

from __future__ import annotations

import os
import sys


def translate(argv: list[str], known: set[str]) -> list[str]:
    """Join the first two words when they name a command (`import laws` → `import_laws`)."""
    if len(argv) >= 3 and f"{argv[1]}_{argv[2]}" in known:
        return [argv[0], f"{argv[1]}_{argv[2]}", *argv[3:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django
    from django.core.management import execute_from_command_line, get_commands

    django.setup()
    execute_from_command_line(translate(sys.argv, set(get_commands())))


if __name__ == "__main__":
    main()
