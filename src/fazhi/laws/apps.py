from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "fazhi.laws"
    label = "laws"
    verbose_name = "法规库"

    def ready(self) -> None:
        import datetime as dt

        from fazhi.core import periodic
        from fazhi.laws import repeals
        from fazhi.laws.search import adapter
        from fazhi.search import registry

        registry.register(adapter)
        periodic.register("laws.repeals", repeals.run_daily, every=dt.timedelta(days=1))
