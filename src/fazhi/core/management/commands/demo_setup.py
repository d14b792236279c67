"""`fazhi demo setup`: demo accounts and each app's demo data (DEBUG only)."""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fazhi.core import roles
from fazhi.core.services import create_demo_accounts, ensure_roles


class Command(BaseCommand):
    help = "创建演示账号和演示数据（仅 DEBUG 模式）"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="即使 DEBUG 关闭也创建（不建议）")

    def handle(self, *args, **options):
        ensure_roles()
        if not settings.DEBUG and not options["force"]:
            self.stdout.write("DEBUG 未开启，跳过演示账号。")
            return
        create_demo_accounts()
        # Each domain app may provide demo.py with setup_demo(stdout); run them in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            if not config.name.startswith("fazhi."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            try:
                module.setup_demo(self.stdout)
            except Exception as exc:  # a broken demo must say which app failed
                raise CommandError(f"{config.verbose_name} 演示数据创建失败：{exc}") from exc
        self.stdout.write("演示账号（密码均为 %s）：" % settings.DEMO_PASSWORD)
        for username, (display, role_names, _staff) in roles.DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {username:<12} {display}（{'、'.join(role_names)}）")
