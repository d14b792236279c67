"""政策体检: evaluate a policy's structured eligibility conditions against an enterprise profile.

Contract: `evaluate(policy, profile)` returns a MatchResult whose `met`, `unmet` and `unknown` lists
hold one plain-Chinese sentence per condition; `match(profile)` finds candidate policies through the
index (industry/size/region pre-filter) and ranks them by fit. `eligibility.eligible_pairs` finds every
eligible (profile, policy) pair of many profiles and policies at once (the report's figures).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tantivy
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.policies import sizing
from fazhi.policies.index import ANY, adapter
from fazhi.policies.models import EnterpriseProfile, Level, Policy, Status
from fazhi.search import query as sq

CANDIDATES = 200
PAGE_CANDIDATES = 2000  # the match page judges every policy in force (a few hundred), not only the first 200
# What `evaluate` and the match page/API read of a policy: loading only these keeps a 200-candidate
# match from building full policies (six JSON lists and a dozen dates each).
MATCH_FIELDS = (
    "pk",
    "title",
    "issuer",
    "published_date",
    "level",
    "status",
    "industries",
    "sizes",
    "regions",
    "required_tags",
    "min_years_established",
    "employees_min",
    "employees_max",
    "revenue_min",
    "revenue_max",
    "measures_end",
    "effective_to",
    "temporary_cue",
    "conditions_verified",
    "apply_start",
    "apply_end",
    "duplicate_of",  # reposts are folded by it (collapse_reposts)
)


@dataclass
class MatchResult:
    policy: Policy
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # Whether the policy states any condition on the enterprise itself (industry, size, age, tags, staff,
    # revenue). A policy with none (a national notice "for everyone") is not called a match for anybody.
    conditions_stated: bool = False
    # Whether an administrator set or confirmed the policy's conditions; imported ones were read from the
    # text by keyword rules (a COVID notice on medical staff may carry 住宿和餐饮业 from its body).
    verified: bool = True
    reposts: int = 0  # other policies with the same title folded into this one (collapse_reposts)

    @property
    def score(self) -> float:
        return 2.0 * len(self.met) - 3.0 * len(self.unmet) - 0.5 * len(self.unknown)

    @property
    def eligible(self) -> bool:
        """The policy states conditions and every one is known to be met (nothing unmet or left to verify),
        whether an administrator set them or they were read from the text (see `verified`)."""
        return self.conditions_stated and not self.unmet and not self.unknown

    @property
    def group(self) -> int:
        """Display order: 0 all conditions met and set by an administrator, 1 all met but read from the text
        (初步符合), 2 none failed but some to verify, 3 no conditions stated (read the text), 4 a condition
        failed."""
        if self.unmet:
            return 4
        if not self.conditions_stated:
            return 3
        if self.unknown:
            return 2
        return 0 if self.verified else 1

    @property
    def possible(self) -> bool:
        """No condition is known to fail, though some may still need checking."""
        return not self.unmet

    @property
    def label(self) -> str:
        """The badge the match page shows: only a verified full match is called 符合全部条件."""
        if self.eligible:
            return "符合全部条件" if self.verified else "初步符合（条件由系统从正文识别，待核实）"
        if self.unmet:
            return "有条件未满足"
        if not self.conditions_stated:
            return "未列明企业条件"
        return "部分条件待核实"


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


# Province-level names (GB/T 2260), so that "北京" and "北京市" are recognised as a province.
PROVINCES = (
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
)
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")
_PROVINCE = re.compile(
    rf"^({'|'.join(PROVINCES)})(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)?"
)
# One administrative unit: 州 only when it is not the first character of "州市/州区" (杭州市, 广州市).
_UNIT = re.compile(r".+?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州(?![市区县])|盟|区|县|旗)")
_SUFFIXES = ("省", "市", "区", "县", "州", "盟", "旗", "特别行政区")


def _is_unit(name: str) -> bool:
    """A complete place name: ends with an administrative suffix or is a bare province name (北京)."""
    return name.endswith(_SUFFIXES) or name in PROVINCES


def _without_province(region: str) -> str:
    """'广东省广州市天河区' → '广州市天河区' (municipalities such as 北京市 are kept: they are the city)."""
    m = _PROVINCE.match(region)
    if m and m.group(0).endswith(("省", "自治区", "特别行政区")) and m.end() < len(region):
        return region[m.end() :]
    return ""


# The full name's suffix of a province written bare (广东 → 广东省, 北京 → 北京市).
_PROVINCE_SUFFIX = {name: "市" for name in MUNICIPALITIES} | {
    "香港": "特别行政区",
    "澳门": "特别行政区",
    "内蒙古": "自治区",
    "西藏": "自治区",
    "广西": "壮族自治区",
    "宁夏": "回族自治区",
    "新疆": "维吾尔自治区",
}


def canonical_region(region: str) -> str:
    """The enterprise's region as policies name places: spaces dropped and a bare province completed
    (北京 朝阳区 → 北京市朝阳区, 广东深圳市 → 广东省深圳市), so that 北京市 policies are found for it. A name that
    only starts like a province (天津市河北区 written 河北区, 青海 海南州) is left alone."""
    region = re.sub(r"\s+", "", region or "")
    m = _PROVINCE.match(region)
    if not m or m.group(0) != m.group(1):  # not a province, or its suffix is written
        return region
    rest = region[m.end() :]
    if rest and (rest[0] in "省市区县州盟旗" or rest.startswith(("地区", "自治", "特别"))):
        return region
    return m.group(1) + _PROVINCE_SUFFIX.get(m.group(1), "省") + rest


def region_problem(region: str) -> str:
    """Empty when the region is a complete place name (北京市朝阳区, 广东省广州市); otherwise a Chinese message.

    For validating the enterprise profile: a fragment such as "北" can match no policy region.
    """
    region = (region or "").strip()
    if not region:
        return ""
    if len(region) < 2 or not _is_unit(region) or not re.fullmatch(r"[\u4e00-\u9fa5]+", region):
        return f"所在地区“{region}”不是完整的地名，请从省（自治区、直辖市）写到市、区县，如“北京市朝阳区”。"
    return ""


def region_within(enterprise_region: str, policy_region: str) -> bool:
    """The enterprise lies within the policy's region: 北京市朝阳区 is within 北京市 (and 北京), not vice versa."""
    e, p = enterprise_region.strip(), policy_region.strip()
    if not e or not p or not _is_unit(p):
        return False
    pm = _PROVINCE.match(p)
    if pm and pm.end() == len(p) and (em := _PROVINCE.match(e)) and em.group(1) == pm.group(1):
        return True  # the same province, with or without its suffix (北京 / 北京市)
    return any(x.startswith(p) for x in (e, _without_province(e)) if x)


def region_coarser(enterprise_region: str, policy_region: str) -> bool:
    """The enterprise named only a larger area containing the policy's (北京市 for a 北京市朝阳区 policy)."""
    e, p = enterprise_region.strip(), policy_region.strip()
    if not e or not p or e == p or not _is_unit(e):
        return False
    return p.startswith(e) or _without_province(p).startswith(e)


def region_matches(policy_region: str, enterprise_region: str) -> bool:
    """Kept for callers: a policy for 北京市 covers an enterprise in 北京市朝阳区 (and only that direction)."""
    return region_within(enterprise_region, policy_region)


def _province_omitted(region: str, policy_regions: list[str]) -> bool:
    """The enterprise wrote a place without its province (广州市天河区) and every policy region is a
    province, so it may or may not lie within; a city cannot lie within a municipality (南京市 / 北京市)."""
    if not _is_unit(region) or _PROVINCE.match(region):
        return False
    first = _UNIT.match(region)
    is_city = bool(first and first.group(0).endswith("市"))
    for x in policy_regions:
        m = _PROVINCE.match(x)
        if not m or (is_city and m.group(1) in MUNICIPALITIES):
            return False
    return True


_LOCAL_CITY = re.compile(r"^[\u4e00-\u9fa5]{2,4}?(?:市|州|盟)(?!场)")
_LOCAL_BRANCH = re.compile(r"^中国人民银行([\u4e00-\u9fa5]{2,4}?)(?:营业管理部|中心支行|分行)")


def local_place(policy: Policy) -> str:
    """A province or city that the issuer or title of a supposedly national policy starts with
    (武汉市新型肺炎防控指挥部, 中共海南省委宣传部, 广西壮族自治区…): the level is then doubtful."""
    for text in (policy.issuer or "", policy.title or ""):
        text = re.sub(r"^中共", "", text.strip())
        m = _PROVINCE.match(text) or _LOCAL_CITY.match(text)
        if m:
            return m.group(0)
        branch = _LOCAL_BRANCH.search(text)  # 中国人民银行成都分行
        if branch:
            return branch.group(1)
    return ""


def _region_condition(policy: Policy, profile: EnterpriseProfile, r: MatchResult) -> None:
    if not policy.regions:
        place = local_place(policy) if policy.level == Level.NATIONAL else ""
        if place:
            r.unknown.append(
                f"该政策标注为国家级，但发文机关或标题指向{place}，未能确定适用地区，请核对原文。"
            )
        elif policy.level == Level.NATIONAL:
            r.met.append("适用地区不限（国家级政策）。")
        else:
            level = f"该政策为{Level(policy.level).label}级政策，" if policy.level else ""
            r.unknown.append(f"{level}未能确定适用地区，请核对原文。")
        return
    wanted = "、".join(policy.regions)
    region = (profile.region or "").strip()  # named as the enterprise wrote it, compared in full
    full = canonical_region(region)
    if not region:
        r.unknown.append(f"适用地区为{wanted}，未填写企业所在地区。")
    elif any(region_within(full, x) for x in policy.regions):
        r.met.append(f"适用地区为{wanted}，企业位于{region}。")
    elif any(region_coarser(full, x) for x in policy.regions):
        r.unknown.append(f"适用地区为{wanted}，企业所在地区只填写到{region}，请补充到区县后再核对。")
    elif _province_omitted(full, policy.regions):
        r.unknown.append(f"适用地区为{wanted}，企业所在地区（{region}）未写明省份，请补充完整地区后再核对。")
    else:
        r.unmet.append(f"适用地区为{wanted}，企业位于{region}。")


def _num(v: Decimal | int) -> str:
    d = Decimal(v)
    return str(int(d)) if d == d.to_integral() else f"{d.normalize():f}"


def states_conditions(policy: Policy) -> bool:
    """The policy states a condition on the enterprise itself (industry, size, age, tags, staff, revenue)."""
    return bool(
        policy.industries
        or policy.sizes
        or policy.min_years_established
        or policy.required_tags
        or any(
            v is not None
            for v in (policy.employees_min, policy.employees_max, policy.revenue_min, policy.revenue_max)
        )
    )


def evaluate(policy: Policy, profile: EnterpriseProfile, *, today: dt.date | None = None) -> MatchResult:
    """Every structured condition of the policy, judged against the profile."""
    today = today or timezone.localdate()
    r = MatchResult(
        policy=policy, conditions_stated=states_conditions(policy), verified=policy.conditions_verified
    )
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
    _region_condition(policy, profile, r)
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
    if policy.measures_end and policy.measures_end < today:
        # As on the policy page: the text dates its measures and every period is over; not called a fit.
        r.unknown.append(
            f"正文所列措施的执行期已于{cn_date(policy.measures_end)}前届满，请向发文机关核实是否仍在执行。"
        )
    elif policy.temporary_cue and not policy.measures_end and not policy.effective_to:
        r.unknown.append(
            f"该政策为阶段性措施（“{policy.temporary_cue}”），正文未写明执行期限，请向发文机关核实是否仍在执行。"
        )
    if policy.apply_end:
        if policy.apply_end < today:
            r.unmet.append(f"申报已于{cn_date(policy.apply_end)}截止。")
        elif policy.apply_start and policy.apply_start > today:
            r.unknown.append(f"申报将于{cn_date(policy.apply_start)}开始。")
        else:
            r.met.append(f"正在申报期内，截止{cn_date(policy.apply_end)}。")
    return r


def _region_keys(region: str) -> list[str]:
    """'北京市朝阳区' → ['北京市', '北京市朝阳区']: every administrative prefix of the region.

    Inside a province the prefixes without it count too ('广东省广州市' also gives '广州市'), so that a
    policy tagged with the city alone is a candidate.
    """
    region = canonical_region(region)
    keys: list[str] = []
    for text in (region, _without_province(region)):
        acc = ""
        for m in _UNIT.finditer(text):
            acc += m.group(0)
            keys.append(acc)
    return list(dict.fromkeys(keys + ([region] if region else [])))


def _prefilter(profile: EnterpriseProfile) -> dict[str, list[str]]:
    """The industry/size/region values a candidate's index fields must hold (or the policy is not limited)."""
    filters: dict[str, list[str]] = {}
    sections = profile_sections(profile)
    if sections:
        filters["match_industry"] = [*sections, ANY]
    if profile.size:
        filters["match_size"] = [profile.size, ANY]
    if profile.region:
        filters["match_region"] = [*_region_keys(profile.region), ANY]
    return filters


IN_FORCE = [Status.VALID.label, Status.EXPIRING.label]


@dataclass
class Ranked:
    """Every candidate evaluated and ranked by fit, and how many the index found (may exceed the results)."""

    results: list[MatchResult]
    total: int


def ranked(
    profile: EnterpriseProfile, *, today: dt.date | None = None, candidates: int = CANDIDATES
) -> Ranked:
    """Policies in force whose industry/size/region restrictions admit the enterprise, all evaluated and
    ranked by fit (verified full matches first)."""
    today = today or timezone.localdate()
    index = adapter.index
    filters: dict[str, list[str]] = {"status": IN_FORCE, **_prefilter(profile)}
    sections = profile_sections(profile)
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
    result = index.search(query, limit=candidates)
    return Ranked(_evaluate_hits(result.hits, profile, today), result.total)


def _evaluate_hits(hits: list, profile: EnterpriseProfile, today: dt.date) -> list[MatchResult]:
    pks = [int(h.id) for h in hits]
    objects = {str(p.pk): p for p in Policy.objects.filter(pk__in=pks).only(*MATCH_FIELDS)}
    rank = {h.id: i for i, h in enumerate(hits)}
    results = [evaluate(objects[h.id], profile, today=today) for h in hits if h.id in objects]
    results.sort(key=lambda m: (m.group, -m.score, rank[str(m.policy.pk)]))
    return results


def match(profile: EnterpriseProfile, *, limit: int = 20, today: dt.date | None = None) -> list[MatchResult]:
    """Policies in force whose industry/size/region restrictions admit the enterprise, ranked by fit."""
    return ranked(profile, today=today).results[:limit]


def excluded(profile: EnterpriseProfile, *, today: dt.date | None = None, limit: int = CANDIDATES) -> Ranked:
    """Policies in force that `ranked` leaves out because their industry, size or region excludes the
    enterprise (a 小微-only policy for a 中型 enterprise), evaluated so that the page can say which
    condition fails."""
    today = today or timezone.localdate()
    prefilter = _prefilter(profile)
    if not prefilter:
        return Ranked([], 0)
    index = adapter.index
    # Those open to the enterprise's region (ruled out by industry or size) first: the rest are mostly
    # other places' policies.
    regions = [*_region_keys(profile.region), ANY] if profile.region else [ANY]
    nearby = [index.any_of("match_region", regions)]
    if region := canonical_region(profile.region):
        # The policies of places inside the enterprise's (it named only its city): judged among the first.
        nearby.append(tantivy.Query.regex_query(index.schema, "match_region", re.escape(region) + ".+"))
    query = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Must, sq.with_filters(index, None, {"status": IN_FORCE})),
            (tantivy.Occur.MustNot, sq.with_filters(index, None, prefilter)),
            *[(tantivy.Occur.Should, tantivy.Query.const_score_query(q, 1.0)) for q in nearby],
        ]
    )
    result = index.search(query, limit=limit)
    return Ranked(_evaluate_hits(result.hits, profile, today), result.total)


def collapse_reposts(results: list[MatchResult]) -> list[MatchResult]:
    """The results with reposted copies folded into the first, best-ranked one, whose `reposts` counts the
    others. A copy is a policy of the same title or of the same group of texts that are the same or nearly
    so (`Policy.duplicate_of`, fazhi.policies.duplicates). Among equally good copies the most recently
    published stays."""
    best: dict[tuple[str, Any], MatchResult] = {}
    order: list[MatchResult] = []
    for m in results:
        keys = [
            ("title", "".join(m.policy.title.split())),
            ("group", m.policy.duplicate_of_id or m.policy.pk),
        ]
        kept = next((best[k] for k in keys if k in best), None)
        if kept is None:
            for k in keys:
                best[k] = m
            order.append(m)
            continue
        kept.reposts += 1
        for k in keys:
            best.setdefault(k, kept)
        if (m.group, -m.score) == (kept.group, -kept.score) and _newer(m.policy, kept.policy):
            m.reposts, kept.reposts = kept.reposts, 0
            order[order.index(kept)] = m
            for k, v in list(best.items()):
                if v is kept:
                    best[k] = m
    return order


def _newer(a: Policy, b: Policy) -> bool:
    da = a.published_date or dt.date.min
    db = b.published_date or dt.date.min
    return (da, a.pk) > (db, b.pk)
