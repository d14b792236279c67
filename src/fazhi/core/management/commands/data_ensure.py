"""`fazhi data ensure`: import the shared data each app needs if not yet imported, then fill empty indexes."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from fazhi.search import build, outbox, registry


class Command(BaseCommand):
    help = "导入尚未导入的共享数据，并构建空的检索索引"

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("fazhi."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.bootstrap")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.bootstrap":
                    continue
                raise
            try:
                module.ensure_data(self.stdout)
            except Exception as exc:
                raise CommandError(f"{config.verbose_name} 数据导入失败：{exc}") from exc
        outbox.process()
        for adapter in registry.all_adapters():
            expected = adapter.count()
            if expected and adapter.index.num_docs() == 0:
                self.stdout.write(f"构建索引 {adapter.name}（{expected} 条）…")
                n = build.rebuild(adapter.name)
                self.stdout.write(f"索引 {adapter.name}：{n} 条。")
