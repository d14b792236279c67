"""The precheck's output contract, shared with the review workflow."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Finding:
    rule_id: str
    family: str  # CITE / POWER / FC / PROC / FORM
    severity: str  # 高 / 中 / 低
    paragraph: int  # 1-based paragraph number
    start: int  # character offsets within the paragraph
    end: int
    quote: str
    message: str
    basis: str
    suggestion: str
    basis_url: str = ""

    def as_dict(self) -> dict:
        return asdict(self)
