"""远程异地评标 API (/api/v1/bidding/): bearer token or session; 采购办 manage, 监督方 read, experts score.

One router (api.common); its endpoints live in the modules below. They register in import order, which is the
order the API description lists them in, so these imports keep their order.
"""

# isort: off
from fazhi.bidding.api import projects  # noqa: F401
from fazhi.bidding.api import committees  # noqa: F401
from fazhi.bidding.api import outcome  # noqa: F401
from fazhi.bidding.api import records  # noqa: F401

# isort: on
from fazhi.bidding.api.common import router

__all__ = ["router"]
