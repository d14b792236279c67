"""远程异地评标 API (/api/v1/bidding/)."""

from ninja import Router

router = Router(tags=["远程异地评标"])
