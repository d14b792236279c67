import datetime as dt

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "fazhi.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from fazhi.core import jobs, periodic
        from fazhi.policies import excel_job, index, sizing, subscriptions
        from fazhi.search import registry

        registry.register(index.adapter)
        sizing.connect_signals()
        jobs.register(excel_job.KIND)
        periodic.register("policies.daily", subscriptions.run_daily, every=dt.timedelta(days=1))
