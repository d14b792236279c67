import datetime as dt

from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "fazhi.performance"
    label = "performance"
    verbose_name = "预算绩效"

    def ready(self) -> None:
        from fazhi.core import periodic
        from fazhi.performance.services import remind_disclosure_deadlines

        periodic.register(
            "performance.disclosure_deadlines", remind_disclosure_deadlines, every=dt.timedelta(days=1)
        )
