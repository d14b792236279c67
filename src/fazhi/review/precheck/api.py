"""Precheck API, mounted under /api/v1/review/."""

from ninja import Router

router = Router(tags=["合法性审查预审"])
