import datetime as dt

from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "fazhi.exams"
    label = "exams"
    verbose_name = "学法考试"

    def ready(self) -> None:
        from fazhi.core import jobs, periodic
        from fazhi.exams.services import attempts, certificates, question_job

        jobs.register(question_job.KIND)
        periodic.register("exams.certificate_reminders", certificates.run_daily, every=dt.timedelta(days=1))
        periodic.register(
            "exams.finalize_expired_attempts",
            attempts.finalize_expired_attempts,
            every=dt.timedelta(minutes=5),
        )
