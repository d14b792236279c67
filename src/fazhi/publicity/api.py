"""普法 API (/api/v1/publicity/)."""

from ninja import Router

router = Router(tags=["普法"])
