from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fazhi.cases"
    label = "cases"
    verbose_name = "以案释法"

    def ready(self) -> None:
        from fazhi.cases.search import adapter
        from fazhi.search import registry

        registry.register(adapter)
