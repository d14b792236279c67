"""数据看板与年度报告 API (/api/v1/reports/)."""

from ninja import Router

router = Router(tags=["数据看板与年度报告"])
