import datetime as dt

from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "fazhi.publicity"
    label = "publicity"
    verbose_name = "普法专栏"

    def ready(self) -> None:
        from fazhi.core import periodic
        from fazhi.publicity import signals
        from fazhi.publicity.services import send_campaign_reminders

        signals.connect()

        periodic.register("publicity.campaign_reminders", send_campaign_reminders, every=dt.timedelta(days=1))
