import datetime as dt

from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "fazhi.policies"
    label = "policies"
    verbose_name = "惠企政策"

    def ready(self) -> None:
        from fazhi.core import accounts, jobs, periodic
        from fazhi.policies import excel_job, index, sizing, subscriptions
        from fazhi.policies.services import profile
        from fazhi.search import registry

        registry.register(index.adapter)
        sizing.connect_signals()
        jobs.register(excel_job.KIND)
        periodic.register("policies.daily", subscriptions.run_daily, every=dt.timedelta(days=1))
        accounts.register_credit_code_holder(profile.code_held_by_profile)
