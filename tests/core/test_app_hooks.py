"""The per-app hooks behind `data ensure` and `demo setup`: run in app order, skip apps without one."""

import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.management.base import CommandError

from fazhi.core.management import app_hooks


def _fake_hooks(monkeypatch, hooks):
    """Pretend only the apps in `hooks` (app name → function) provide a `demo` module."""
    real = importlib.import_module

    def import_module(name):
        app, _, module = name.rpartition(".")
        if module == "demo":
            if app not in hooks:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return SimpleNamespace(setup_demo=hooks[app])
        return real(name)

    monkeypatch.setattr(app_hooks, "import_module", import_module)


def test_hooks_run_in_installed_apps_order_and_apps_without_one_are_skipped(monkeypatch):
    called = []
    _fake_hooks(
        monkeypatch,
        {
            "fazhi.bidding": lambda out: called.append(("bidding", out)),
            "fazhi.cases": lambda out: called.append(("cases", out)),
        },
    )
    out = io.StringIO()
    app_hooks.run_app_hooks("demo", "setup_demo", out, "演示数据创建失败")
    assert called == [("cases", out), ("bidding", out)]


def test_a_failing_hook_stops_the_command_naming_the_app(monkeypatch):
    def broken(out):
        raise RuntimeError("样例数据缺失")

    _fake_hooks(monkeypatch, {"fazhi.cases": broken})
    with pytest.raises(CommandError, match="^以案释法 演示数据创建失败：样例数据缺失$"):
        app_hooks.run_app_hooks("demo", "setup_demo", io.StringIO(), "演示数据创建失败")


def test_a_missing_import_inside_a_hook_module_is_not_swallowed(monkeypatch):
    def import_missing(out):
        raise AssertionError("not reached")

    _fake_hooks(monkeypatch, {"fazhi.cases": import_missing})
    fake = app_hooks.import_module

    def import_module(name):
        if name == "fazhi.cases.demo":
            raise ModuleNotFoundError("No module named 'missing_dependency'", name="missing_dependency")
        return fake(name)

    monkeypatch.setattr(app_hooks, "import_module", import_module)
    with pytest.raises(ModuleNotFoundError, match="missing_dependency"):
        app_hooks.run_app_hooks("demo", "setup_demo", io.StringIO(), "演示数据创建失败")
