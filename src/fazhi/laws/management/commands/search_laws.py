"""`fazhi search laws "问题" --limit 10`: search articles from the command line."""

import re

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.errors import DomainError
from fazhi.laws.search import parse_filters, search_articles

_TAGS = re.compile(r"</?mark>")


class Command(BaseCommand):
    help = "检索法规条文"

    def add_arguments(self, parser):
        parser.add_argument("query", help="检索内容")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--level", default="")
        parser.add_argument("--status", default="", help="有效（默认）/已修改/已废止/尚未生效/已失效/all")
        parser.add_argument("--law", default="", help="法规编号")

    def handle(self, *args, **options):
        try:
            filters = parse_filters(level=options["level"], status=options["status"], law=options["law"])
            results = search_articles(q=options["query"], limit=options["limit"], filters=filters)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"共 {results.total} 条，用时 {results.took_ms} 毫秒")
        for i, hit in enumerate(results.hits, start=1):
            art = hit.article
            self.stdout.write(f"{i:>3}. {art.law_title} {art.label}  [{hit.score:.2f}]")
            self.stdout.write(f"     {_TAGS.sub('', hit.snippet)}")
