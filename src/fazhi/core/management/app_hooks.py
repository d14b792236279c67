"""Per-app hooks the core commands call without importing a domain app by name.

An app opts in by providing a module (e.g. `bootstrap.py` with `ensure_data(stdout)`, `demo.py` with
`setup_demo(stdout)`); the hooks run in INSTALLED_APPS order.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError


def run_app_hooks(module_name: str, function: str, stdout: Any, failed: str) -> None:
    """Call `<app>.<module_name>.<function>(stdout)` for every fazhi app that has the module.

    A hook that raises stops the command with a CommandError naming the app: "<app> <failed>：<error>".
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("fazhi."):
            continue
        try:
            module = import_module(f"{config.name}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.{module_name}":
                continue
            raise
        try:
            getattr(module, function)(stdout)
        except Exception as exc:  # a broken hook must say which app failed
            raise CommandError(f"{config.verbose_name} {failed}：{exc}") from exc
