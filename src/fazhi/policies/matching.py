"""政策体检: evaluate a policy's structured eligibility conditions against an enterprise profile.

Contract: `evaluate(policy, profile)` returns a MatchResult whose `met`, `unmet` and `unknown` lists
hold one plain-Chinese sentence per condition; `match(profile)` finds candidate policies through the
index (industry/size/region pre-filter) and ranks them by fit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

import tantivy
from django.utils import timezone

from fazhi.policies import sizing
from fazhi.policies.index import ANY, adapter
from fazhi.policies.models import EnterpriseProfile, Policy, Status
from fazhi.search import query as sq

CANDIDATES = 200
_LARGE_TEXT = (
    "full_text",
    "interpretation",
    "beneficiaries",
    "conditions_text",
    "support_standard",
    "apply_method",
)


@dataclass
class MatchResult:
    policy: Policy
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return 2.0 * len(self.met) - 3.0 * len(self.unmet) - 0.5 * len(self.unknown)

    @property
    def eligible(self) -> bool:
        return not self.unmet


def profile_section(profile: EnterpriseProfile) -> str:
    if profile.industry_section:
        return profile.industry_section
    ind = sizing.industries().get(profile.industry)
    return ind.section if ind else ""


def profile_sections(profile: EnterpriseProfile) -> list[str]:
    """The 门类 the enterprise may belong to (all of the table industry's when it did not say)."""
    if profile.industry_section:
        return [profile.industry_section]
    ind = sizing.industries().get(profile.industry)
    return list(ind.sections) if ind else []


def years_since(start: dt.date, today: dt.date) -> int:
    years = today.year - start.year
    if (today.month, today.day) < (start.month, start.day):
        years -= 1
    return years


def region_matches(policy_region: str, enterprise_region: str) -> bool:
    """A policy for 北京市 covers an enterprise in 北京市朝阳区."""
    return enterprise_region.startswith(policy_region) or policy_region.startswith(enterprise_region)


def _num(v: Decimal | int) -> str:
    d = Decimal(v)
    return str(int(d)) if d == d.to_integral() else f"{d.normalize():f}"


def evaluate(policy: Policy, profile: EnterpriseProfile, *, today: dt.date | None = None) -> MatchResult:
    """Every structured condition of the policy, judged against the profile."""
    today = today or timezone.localdate()
    r = MatchResult(policy=policy)
    names = sizing.sections()
    if policy.industries:
        wanted = "、".join(names.get(s, s) for s in policy.industries)
        sections = profile_sections(profile)
        if not sections:
            r.unknown.append(f"适用行业为{wanted}，未填写所属行业。")
        elif set(sections) & set(policy.industries):
            r.met.append(f"适用行业为{wanted}，企业所属行业符合。")
        else:
            r.unmet.append(
                f"适用行业为{wanted}，企业所属行业（{names.get(sections[0], sections[0])}）不在其中。"
            )
    if policy.sizes:
        wanted = "、".join(policy.sizes)
        if not profile.size:
            r.unknown.append(f"适用于{wanted}企业，企业规模无法判定（请补充从业人员、营业收入或资产总额）。")
        elif profile.size in policy.sizes:
            r.met.append(f"适用于{wanted}企业，企业为{profile.size}企业。")
        else:
            r.unmet.append(f"适用于{wanted}企业，企业为{profile.size}企业。")
    if policy.regions:
        wanted = "、".join(policy.regions)
        if not profile.region:
            r.unknown.append(f"适用地区为{wanted}，未填写企业所在地区。")
        elif any(region_matches(x, profile.region) for x in policy.regions):
            r.met.append(f"适用地区为{wanted}，企业位于{profile.region}。")
        else:
            r.unmet.append(f"适用地区为{wanted}，企业位于{profile.region}。")
    if policy.min_years_established:
        n = policy.min_years_established
        if not profile.established_on:
            r.unknown.append(f"要求成立满{n}年，未填写成立日期。")
        else:
            age = years_since(profile.established_on, today)
            (r.met if age >= n else r.unmet).append(f"要求成立满{n}年，企业成立{age}年。")
    for tag in policy.required_tags:
        if tag in (profile.tags or []):
            r.met.append(f"要求具备“{tag}”资格，企业已具备。")
        else:
            r.unmet.append(f"要求具备“{tag}”资格，企业画像中没有该标签。")
    for lo, hi, value, label, unit in (
        (policy.employees_min, policy.employees_max, profile.employees, "从业人员", "人"),
        (policy.revenue_min, policy.revenue_max, profile.revenue, "营业收入", "万元"),
    ):
        if lo is None and hi is None:
            continue
        if lo is not None and hi is not None:
            rule = f"{label}须在{_num(lo)}至{_num(hi)}{unit}之间"
        elif lo is not None:
            rule = f"{label}须不少于{_num(lo)}{unit}"
        else:
            rule = f"{label}须不超过{_num(hi)}{unit}"  # type: ignore[arg-type]
        if value is None:
            r.unknown.append(f"{rule}，未填写{label}。")
            continue
        ok = (lo is None or value >= lo) and (hi is None or value <= hi)
        (r.met if ok else r.unmet).append(f"{rule}，企业为{_num(value)}{unit}。")
    if policy.apply_end:
        if policy.apply_end < today:
            r.unmet.append(f"申报已于{policy.apply_end:%Y年%m月%d日}截止。")
        elif policy.apply_start and policy.apply_start > today:
            r.unknown.append(f"申报将于{policy.apply_start:%Y年%m月%d日}开始。")
        else:
            r.met.append(f"正在申报期内，截止{policy.apply_end:%Y年%m月%d日}。")
    return r


def _region_keys(region: str) -> list[str]:
    """'北京市朝阳区' → ['北京市', '北京市朝阳区']: every administrative prefix of the region."""
    keys = [m.group(0) for m in re.finditer(r".+?(?:自治区|特别行政区|省|市|州|盟|区|县|旗)", region)]
    prefixes = []
    acc = ""
    for part in keys:
        acc += part
        prefixes.append(acc)
    return list(dict.fromkeys(prefixes + ([region] if region else [])))


def match(profile: EnterpriseProfile, *, limit: int = 20, today: dt.date | None = None) -> list[MatchResult]:
    """Policies in force whose industry/size/region restrictions admit the enterprise, ranked by fit."""
    index = adapter.index
    filters: dict[str, list[str]] = {"status": [Status.VALID.label, Status.EXPIRING.label]}
    sections = profile_sections(profile)
    if sections:
        filters["match_industry"] = [*sections, ANY]
    if profile.size:
        filters["match_size"] = [profile.size, ANY]
    if profile.region:
        filters["match_region"] = [*_region_keys(profile.region), ANY]
    # Filters decide who is a candidate; the should-clauses put the policies written specifically for
    # this industry, size and region (rather than for everyone) and those naming its tags first.
    should: list[tantivy.Query] = []
    for s_ in sections:
        should.append(tantivy.Query.boost_query(index.term("match_industry", s_), 2.0))
    if profile.size:
        should.append(index.term("match_size", profile.size))
    for key in _region_keys(profile.region) if profile.region else []:
        should.append(index.term("match_region", key))
    tags = " ".join(profile.tags or [])
    tq = sq.text_query(index, sq.analyze(tags), use_bigrams=False) if tags else None
    if tq is not None:
        should.append(tantivy.Query.boost_query(tq, 0.2))
    clauses = [(tantivy.Occur.Must, sq.with_filters(index, None, filters))]
    clauses += [(tantivy.Occur.Should, q) for q in should]
    query = tantivy.Query.boolean_query(clauses)
    result = index.search(query, limit=CANDIDATES)
    pks = [int(h.id) for h in result.hits]
    objects = {str(p.pk): p for p in Policy.objects.filter(pk__in=pks).defer(*_LARGE_TEXT)}
    rank = {h.id: i for i, h in enumerate(result.hits)}
    results = [evaluate(objects[h.id], profile, today=today) for h in result.hits if h.id in objects]
    results.sort(key=lambda m: (-m.score, rank[str(m.policy.pk)]))
    return results[:limit]
