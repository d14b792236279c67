from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from fazhi.core import audit, workdays

        audit.connect_signals()
        workdays.connect_signals()
