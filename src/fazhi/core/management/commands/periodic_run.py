import time

from django.core.management.base import BaseCommand

from fazhi.core import periodic


class Command(BaseCommand):
    help = "运行到期的定时任务（提醒、订阅推送）；--loop 持续运行"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=300.0)
        parser.add_argument("--force", action="store_true", help="忽略间隔，全部运行一次")

    def handle(self, *args, **options):
        while True:
            ran = periodic.run_due(force=options["force"])
            if ran:
                self.stdout.write("已运行：" + "、".join(ran))
            if not options["loop"]:
                return
            time.sleep(options["interval"])
