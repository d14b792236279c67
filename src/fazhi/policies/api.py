"""惠企政策 API (/api/v1/policies/)."""

from ninja import Router

router = Router(tags=["惠企政策"])
