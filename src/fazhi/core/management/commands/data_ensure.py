"""`fazhi data ensure`: import the shared data each app needs if not yet imported, then fill empty indexes."""

from django.core.management.base import BaseCommand

from fazhi.core.management.app_hooks import run_app_hooks
from fazhi.search import build, outbox, registry


class Command(BaseCommand):
    help = "导入尚未导入的共享数据，并构建空的检索索引"

    def handle(self, *args, **options):
        run_app_hooks("bootstrap", "ensure_data", self.stdout, "数据导入失败")
        outbox.process()
        for adapter in registry.all_adapters():
            expected = adapter.count()
            if expected and adapter.index.num_docs() == 0:
                self.stdout.write(f"构建索引 {adapter.name}（{expected} 条）…")
                n = build.rebuild(adapter.name)
                self.stdout.write(f"索引 {adapter.name}：{n} 条。")
