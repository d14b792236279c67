"""预算绩效 API (/api/v1/performance/)."""

from ninja import Router

router = Router(tags=["预算绩效"])
