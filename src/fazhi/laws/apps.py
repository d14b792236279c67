from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "fazhi.laws"
    label = "laws"
    verbose_name = "法规库"

    def ready(self) -> None:
        from fazhi.laws.search import adapter
        from fazhi.search import registry

        registry.register(adapter)
