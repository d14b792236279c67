from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fazhi.search import build, registry


class Command(BaseCommand):
    help = "从数据库重建检索索引（fazhi index rebuild [索引名…]）"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="索引名（默认全部）")
        parser.add_argument("--quiet-progress", action="store_true")

    def handle(self, *args, **options):
        names = options["names"] or [a.name for a in registry.all_adapters()]
        for name in names:
            try:
                adapter = registry.get(name)
            except KeyError:
                raise CommandError(
                    f"没有名为 {name} 的索引。可用：{', '.join(a.name for a in registry.all_adapters())}"
                )
            total = adapter.count()
            with tqdm(total=total, desc=f"索引 {name}", unit="条", disable=options["quiet_progress"]) as bar:
                n = build.rebuild(name, progress=bar.update)
            self.stdout.write(f"索引 {name}：已写入 {n} 条。")
