"""预算绩效 API (/api/v1/performance/): units, projects, targets, evaluations, publications.

Internal endpoints need a token (or the session); `/public/…` serves published disclosures anonymously.
"""

from fazhi.performance.api.endpoints import router

__all__ = ["router"]
