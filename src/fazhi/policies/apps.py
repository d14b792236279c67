import datetime as dt

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "fazhi.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from fazhi.core import periodic
        from fazhi.policies import index, subscriptions
        from fazhi.search import registry

        registry.register(index.adapter)
        periodic.register("policies.daily", subscriptions.run_daily, every=dt.timedelta(days=1))
