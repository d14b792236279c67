"""法规库 API (/api/v1/laws/)."""

from ninja import Router

router = Router(tags=["法规库"])
