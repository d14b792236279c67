import datetime as dt

from django.apps import AppConfig


class BiddingConfig(AppConfig):
    name = "fazhi.bidding"
    label = "bidding"
    verbose_name = "远程异地评标"

    def ready(self) -> None:
        from fazhi.bidding.services.contracts import remind_contracts
        from fazhi.bidding.services.handovers import remind_handovers
        from fazhi.bidding.services.results import remind_deadlines
        from fazhi.core import periodic

        periodic.register("bidding.deadlines", remind_deadlines, every=dt.timedelta(days=1))
        periodic.register("bidding.contracts", remind_contracts, every=dt.timedelta(days=1))
        periodic.register("bidding.handovers", remind_handovers, every=dt.timedelta(days=1))
