"""合法性审查 API (/api/v1/review/)."""

from ninja import Router

router = Router(tags=["合法性审查"])
