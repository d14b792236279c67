from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


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
        post_migrate.connect(name_permissions_in_chinese, dispatch_uid="fazhi.core.permission_names")


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


ACTIONS = {"add": "新增", "change": "修改", "delete": "删除", "view": "查看"}


def name_permissions_in_chinese(app_config: Any, using: str = "default", **kwargs: Any) -> None:
    """After each app's migrations (and Django's creation of its permissions, connected before this): the
    permissions Django named "Can add log entry" and so on are named in Chinese ("可新增日志记录"), as the
    user and group pages of the admin list them. A name given in code (Meta.permissions) stays."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    if not app_config.models_module:
        return
    with translation.override("zh-hans"):
        for model in app_config.get_models():
            opts = model._meta
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            for action in opts.default_permissions:
                chinese = f"可{ACTIONS.get(action, action)}{opts.verbose_name}"[:255]
                Permission.objects.using(using).filter(
                    content_type=content_type,
                    codename=f"{action}_{opts.model_name}",
                    name__startswith=f"Can {action} ",  # Django's own name, in English
                ).update(name=chinese)
