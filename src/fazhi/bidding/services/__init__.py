"""远程异地评标 writes: every rule and every write lives in this package."""

from fazhi.bidding.services.archives import correct_av_archive, record_av_archive
from fazhi.bidding.services.bidders import add_bidder, set_bidder_validity
from fazhi.bidding.services.contracts import (
    correct_contract,
    record_contract_published,
    record_contract_signed,
)
from fazhi.bidding.services.draw import assign_representative, draw_committee, replace_member, verify_draw
from fazhi.bidding.services.handovers import correct_handover, record_handover
from fazhi.bidding.services.identity import record_identity_check
from fazhi.bidding.services.incidents import end_incident, record_incident, reform_committee
from fazhi.bidding.services.pools import (
    add_expert,
    create_expert_account,
    create_pool,
    create_site,
    import_experts,
)
from fazhi.bidding.services.projects import create_project, set_bid_bond
from fazhi.bidding.services.results import compute_result, confirm_winner, finish_evaluation, submit_report
from fazhi.bidding.services.scoring import save_scores, sign_sheet, verify_sheets

__all__ = [
    "add_bidder",
    "assign_representative",
    "add_expert",
    "compute_result",
    "confirm_winner",
    "correct_av_archive",
    "correct_contract",
    "correct_handover",
    "create_expert_account",
    "create_pool",
    "create_project",
    "create_site",
    "draw_committee",
    "end_incident",
    "finish_evaluation",
    "import_experts",
    "record_av_archive",
    "record_contract_published",
    "record_contract_signed",
    "record_handover",
    "record_identity_check",
    "record_incident",
    "reform_committee",
    "replace_member",
    "save_scores",
    "set_bid_bond",
    "set_bidder_validity",
    "sign_sheet",
    "submit_report",
    "verify_draw",
    "verify_sheets",
]
