from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        import datetime as dt

        from django.conf import settings

        from fazhi.core import audit, backups, jobs, login_guard, periodic, workdays

        audit.connect_signals()
        workdays.connect_signals()
        periodic.register("core.login_housekeeping", login_guard.housekeeping, every=dt.timedelta(days=1))
        periodic.register("core.job_files", jobs.delete_old_files, every=dt.timedelta(days=1))
        if settings.FAZHI_BACKUP_DAILY:
            periodic.register("core.backup", backups.daily, every=dt.timedelta(days=1))
        _name_third_party_apps()


def _name_third_party_apps() -> None:
    """Chinese names for the task queue in the admin (the package shows "Tasks Database Backend")."""
    from django.apps import apps

    for module, label, name in (
        ("django_tasks", "django_tasks", "任务队列"),
        ("django_tasks_db", "django_tasks_database", "任务队列记录"),
    ):
        if apps.is_installed(module):
            config = apps.get_app_config(label)
            config.verbose_name = name
            for model in config.get_models():
                if model.__name__ == "DBTaskResult":
                    model._meta.verbose_name = "任务执行记录"
                    model._meta.verbose_name_plural = "任务执行记录"
