import datetime as dt

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "fazhi.review"
    label = "review"
    verbose_name = "合法性审查"

    def ready(self) -> None:
        from fazhi.core import periodic
        from fazhi.review.library import bring_into_force
        from fazhi.review.reminders import send_reminders
        from fazhi.review.validity import expire_lapsed

        periodic.register("review.reminders", send_reminders, every=dt.timedelta(days=1))
        periodic.register("review.validity", expire_lapsed, every=dt.timedelta(days=1))
        periodic.register("review.commencement", bring_into_force, every=dt.timedelta(days=1))
