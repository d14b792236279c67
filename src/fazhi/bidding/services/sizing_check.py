"""规模核验: a bidder's claimed size (中小企业声明函) against the 工信部联企业〔2011〕300号 table, for the industry
the procurement documents name (采购标的所属行业, 财库〔2020〕46号).

Contract: `size_check(project, bidder)` classifies the figures the 声明函 states (从业人员, 营业收入, 资产总额) by
the thresholds in force and says whether the size claimed is the size computed; a list reads the thresholds
once (`size_table`) and passes `table=`. Whether a claim that is not supported loses its price deduction is
the rule sme_size_check (services.pricing.deductions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fazhi.bidding.models import Bidder, Project, SmeSize
from fazhi.bidding.services.common import model_field, to_decimal
from fazhi.core.errors import ValidationFailed
from fazhi.policies import sizing

# The claim of a 声明函 (Bidder.sme_size) ↔ the size of the 300号 table.
SIZE_OF = {SmeSize.MEDIUM: sizing.MEDIUM, SmeSize.SMALL: sizing.SMALL, SmeSize.MICRO: sizing.MICRO}
EMPLOYEES_MAX = 2_147_483_647  # PositiveIntegerField
_LABELS = {k: f"{sizing.INDICATOR_NAMES[k]}（{sizing.INDICATOR_UNITS[k]}）" for k in sizing.INDICATORS}
_BY_NAME = {v: k for k, v in sizing.INDICATOR_NAMES.items()}

Table = dict[str, sizing.Industry]


def industry_choices() -> list[tuple[str, str]]:
    """The 16 industries of the 300号 table, (key, name), for a select."""
    return [(key, ind.name) for key, ind in sizing.industries().items()]


def industry_name(key: str) -> str:
    """软件和信息技术服务业 for "software"; "" for no industry (or one the table no longer has)."""
    ind = sizing.industries().get(key) if key else None
    return ind.name if ind else ""


def check_industry(raw: Any) -> str:
    """The industry key chosen for a project ("" for none), or a message asking to pick from the list."""
    key = str(raw or "").strip()
    if key and key not in sizing.industries():
        shown = key if len(key) <= 40 else key[:40] + "…"
        raise ValidationFailed(f"未知的行业“{shown}”，请从列表中选择。")
    return key


@dataclass(frozen=True)
class SizeCheck:
    """The outcome: the size computed ("中型企业"; "" when nothing was computed), whether the claim is supported
    (None: nothing to check, or an indicator missing) and the steps in plain Chinese."""

    computed: str = ""
    supported: bool | None = None
    steps: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    industry: str = ""  # the industry's name
    claimed: str = ""  # 小型企业

    @property
    def checked(self) -> bool:
        return bool(self.steps)

    @property
    def label(self) -> str:
        """相符 / 不符 / 缺指标 for the badge ("" when there was nothing to check)."""
        if self.supported is None:
            return "缺指标" if self.checked else ""
        return "相符" if self.supported else "不符"

    def computed_in(self, sizes: list[str]) -> bool:
        """Whether the size computed is one of `sizes` (SmeSize values, e.g. rule sme_eligible_sizes)."""
        return any(f"{SIZE_OF[SmeSize(s)]}企业" == self.computed for s in sizes if s in SIZE_OF)

    def as_dict(self) -> dict[str, Any]:
        return {"computed": self.computed, "supported": self.supported, "steps": list(self.steps)}


NOTHING = SizeCheck()


def size_table(projects: list[Project]) -> Table:
    """The thresholds in force, read once for a list (nothing read when no project names an industry)."""
    return sizing.in_force() if any(p.sme_industry for p in projects) else {}


def size_check(project: Project, bidder: Bidder, *, table: Table | None = None) -> SizeCheck:
    """Classify the figures of the bidder's 声明函 by the project's industry and compare with the claim."""
    if not project.sme_industry or not (bidder.sme_declaration and bidder.sme_size in SIZE_OF):
        return NOTHING
    claimed = bidder.get_sme_size_display()
    result = sizing.classify(
        industry=project.sme_industry,
        employees=bidder.declared_employees,
        revenue=bidder.declared_revenue,
        assets=bidder.declared_assets,
        table=table,
    )
    name = result.industry.name if result.industry else project.sme_industry
    if result.industry is None or result.missing:
        return SizeCheck(steps=result.steps, missing=result.missing, industry=name, claimed=claimed)
    computed = f"{result.size}企业"
    supported = result.size == SIZE_OF[SmeSize(bidder.sme_size)]
    verdict = "相符" if supported else f"与划型结果（{computed}）不符"
    return SizeCheck(
        computed=computed,
        supported=supported,
        steps=[*result.steps, f"声明函声明为{claimed}，{verdict}。"],
        industry=name,
        claimed=claimed,
    )


def withheld_reason(check: SizeCheck) -> str:
    """Why a small/micro claim the figures do not support earns no deduction (the price breakdown shows it)."""
    return (
        f"声明函所填指标按采购标的所属行业（{check.industry}）划型为{check.computed}，"
        f"与声明的{check.claimed}不符，不予价格扣除"
    )


def deduction_note(check: SizeCheck | None, *, enforced: bool) -> str:
    """What a deduction granted on the claim adds about the check ("" when there was none)."""
    if check is None or not check.checked:
        return ""
    if check.supported:
        return f"，所填指标按{check.industry}划型相符"
    if check.supported is None:
        return f"，声明函缺少{'、'.join(check.missing) or '划型指标'}，未能核验规模"
    if not enforced:
        return f"，所填指标划型为{check.computed}，与声明不符（规模核验规则已关闭，按声明扣除）"
    return f"，所填指标划型为{check.computed}，与声明不符，但仍属享受扣除的企业规模"


def _employees(raw: Any) -> int | None:
    text = str(raw).replace(",", "").strip() if raw is not None else ""
    if not text:
        return None
    try:
        value = int(text)  # not Decimal: 50.5 people is a typo, not a number to round
    except ValueError:
        raise ValidationFailed(f"{_LABELS['employees']}“{raw}”须为整数。") from None
    if value < 0:
        raise ValidationFailed(f"{_LABELS['employees']}不能为负数（当前 {value}）。")
    if value > EMPLOYEES_MAX:
        raise ValidationFailed(f"{_LABELS['employees']}“{raw}”过大，请核对。")
    return value


def _amount(raw: Any, name: str) -> Decimal | None:
    if raw is None or not str(raw).strip():
        return None
    value = to_decimal(raw, _LABELS[name], model_field(Bidder, f"declared_{name}"))
    if value < 0:
        raise ValidationFailed(f"{_LABELS[name]}不能为负数（当前 {value}）。")
    return value


def declared_figures(
    *,
    industry: str,
    sme_declaration: bool,
    sme_size: str,
    employees: Any = None,
    revenue: Any = None,
    assets: Any = None,
) -> dict[str, Any]:
    """The figures a 声明函 states, checked: numbers, not negative, only with a 声明函; when the project names
    an industry and a size is claimed, each indicator that industry is measured by. Field name → value."""
    count, income, owned = _employees(employees), _amount(revenue, "revenue"), _amount(assets, "assets")
    figures = {"declared_employees": count, "declared_revenue": income, "declared_assets": owned}
    if not sme_declaration and any(v is not None for v in figures.values()):
        raise ValidationFailed(
            "未提交中小企业声明函的，不填写从业人员、营业收入、资产总额；这些指标按声明函填写。"
        )
    if industry and sme_declaration and sme_size in SIZE_OF:
        result = sizing.classify(industry=industry, employees=count, revenue=income, assets=owned)
        if result.missing:
            needed = "、".join(_LABELS[_BY_NAME[n]] for n in result.missing)
            raise ValidationFailed(
                f"本项目采购标的所属行业为“{industry_name(industry)}”，声明企业规模的须填写声明函中的{needed}，"
                "用于按工信部联企业〔2011〕300号核验规模。"
            )
    return figures
