"""`fazhi demo users --role candidate --count N --prefix cand`: bulk demo staff accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fazhi.core import roles
from fazhi.core.services import ensure_user

ROLE_ALIASES = {
    "candidate": [roles.STAFF_MEMBER],
    "staff": [roles.STAFF_MEMBER],
    "enterprise": [roles.ENTERPRISE],
    "drafter": [roles.DRAFTER, roles.STAFF_MEMBER],
    "reviewer": [roles.REVIEWER, roles.STAFF_MEMBER],
    "supervisor": [roles.SUPERVISOR],
}


class Command(BaseCommand):
    help = "批量创建演示账号（密码为演示密码）"

    def add_arguments(self, parser):
        parser.add_argument("--role", default="candidate", choices=sorted(ROLE_ALIASES))
        parser.add_argument("--count", type=int, default=10)
        parser.add_argument("--prefix", default="cand")

    def handle(self, *args, **options):
        count = options["count"]
        if count < 1 or count > 100000:
            raise CommandError("--count 须在 1 到 100000 之间。")
        role_names = ROLE_ALIASES[options["role"]]
        width = max(3, len(str(count)))
        for i in range(1, count + 1):
            username = f"{options['prefix']}{i:0{width}d}"
            ensure_user(username=username, display_name=f"演示人员{i:0{width}d}", role_names=role_names)
        self.stdout.write(
            f"已创建/确认 {count} 个账号：{options['prefix']}{1:0{width}d} … 密码 {settings.DEMO_PASSWORD}"
        )
