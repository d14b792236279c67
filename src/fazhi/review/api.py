"""合法性审查 API (/api/v1/review/)."""

from ninja import Router

from fazhi.review.precheck.api import router as precheck_router

router = Router(tags=["合法性审查"])
router.add_router("", precheck_router)
