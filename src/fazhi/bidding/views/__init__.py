"""远程异地评标 pages."""

from fazhi.bidding.views.pools import pool_detail, pool_list
from fazhi.bidding.views.projects import (
    bid_document,
    index,
    project_action,
    project_detail,
    project_new,
    report_download,
    rules_page,
)
from fazhi.bidding.views.scoring import score_page

__all__ = [
    "bid_document",
    "index",
    "pool_detail",
    "pool_list",
    "project_action",
    "project_detail",
    "project_new",
    "report_download",
    "rules_page",
    "score_page",
]
