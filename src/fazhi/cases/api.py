"""以案释法与普法 API (/api/v1/cases/)."""

from ninja import Router

router = Router(tags=["以案释法与普法"])
