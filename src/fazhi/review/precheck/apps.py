from django.apps import AppConfig


class PrecheckConfig(AppConfig):
    name = "fazhi.review.precheck"
    label = "precheck"
    verbose_name = "合法性审查预审"
