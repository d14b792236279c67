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
        quiet = options["quiet_progress"]
        for name in names:
            try:
                adapter = registry.get(name)
            except KeyError:
                raise CommandError(
                    f"没有名为 {name} 的索引。可用：{', '.join(a.name for a in registry.all_adapters())}"
                )
            total = adapter.count()
            bars = [tqdm(total=total, desc=f"索引 {name}", unit="条", disable=quiet)]

            def rebuilt(n, bars=bars, total=total, label=adapter.rebuilt_label):
                if len(bars) == 1:  # the index is written: the second stage's bar starts
                    bars[0].close()
                    bars.append(tqdm(total=total, desc=label, unit="条", disable=quiet))
                bars[-1].update(n)

            try:
                n = build.rebuild(name, progress=bars[0].update, rebuilt_progress=rebuilt)
            finally:
                for bar in bars:
                    bar.close()
            self.stdout.write(f"索引 {name}：已写入 {n} 条。")
