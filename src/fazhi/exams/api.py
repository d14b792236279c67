"""学法考试 API (/api/v1/exams/)."""

from ninja import Router

router = Router(tags=["学法考试"])
