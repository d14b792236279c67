"""`fazhi demo setup`: demo accounts and each app's demo data (DEBUG only)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from fazhi.core import roles
from fazhi.core.management.app_hooks import run_app_hooks
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
        run_app_hooks("demo", "setup_demo", self.stdout, "演示数据创建失败")
        self.stdout.write("演示账号（密码均为 %s）：" % settings.DEMO_PASSWORD)
        for username, (display, role_names, _staff) in roles.DEMO_ACCOUNTS.items():
            self.stdout.write(f"  {username:<12} {display}（{'、'.join(role_names)}）")
