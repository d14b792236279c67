"""Metadata from a policy's plain text: title, 文号, date, issuing body, level and keyword facets.

Contract: `extract(text)` returns an Extracted record; every field is empty/None when the text does
not carry it. The facet rules (themes, support types, industries, sizes) are keyword rules and the
policies they produce are flagged `facets_extracted` so pages say they were recognised automatically.

The parts: `patterns` (the regular expressions they share), `text` (title, 文号, paragraphs),
`signature` (落款 date and issuer), `places` (层级 and 地区), `stated` (有效期, 申报期, 咨询电话 and the
periods of single measures), `facets` (keyword rules and 文种).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fazhi.policies.extract.facets import (
    DOC_KIND_LABELS,
    DOC_KINDS,
    INDUSTRY_RULES,
    OTHER_KIND,
    SIZE_RULES,
    SUPPORT_RULES,
    THEME_RULES,
    _labels,
    doc_kind,
)
from fazhi.policies.extract.patterns import AGENCY_SUFFIX, ANNOUNCEMENT_NUMBER, DATE, DOC_NUMBER, clean
from fazhi.policies.extract.places import level_and_region, province_full
from fazhi.policies.extract.signature import first_date, issuer_from_head, issuer_from_title, parse_signature
from fazhi.policies.extract.stated import (
    StatedPeriod,
    apply_window,
    contact_phone,
    effective_period,
    stated_periods,
    temporary_cue,
    temporary_title,
)
from fazhi.policies.extract.text import breadcrumb_site, paragraphs, parse_doc_number, split_title

__all__ = [
    "AGENCY_SUFFIX",
    "ANNOUNCEMENT_NUMBER",
    "DATE",
    "DOC_KINDS",
    "DOC_KIND_LABELS",
    "DOC_NUMBER",
    "INDUSTRY_RULES",
    "OTHER_KIND",
    "SIZE_RULES",
    "SUPPORT_RULES",
    "THEME_RULES",
    "Extracted",
    "StatedPeriod",
    "apply_window",
    "clean",
    "contact_phone",
    "doc_kind",
    "effective_period",
    "extract",
    "first_date",
    "issuer_from_head",
    "issuer_from_title",
    "level_and_region",
    "paragraphs",
    "parse_doc_number",
    "parse_signature",
    "province_full",
    "split_title",
    "stated_periods",
    "temporary_cue",
    "temporary_title",
]


@dataclass
class Extracted:
    title: str
    body: str
    doc_number: str = ""
    doc_agency_code: str = ""
    doc_year: int | None = None
    doc_serial: int | None = None
    date: dt.date | None = None
    issuer: str = ""
    level: str = ""
    region: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    apply_start: dt.date | None = None
    apply_end: dt.date | None = None
    contact_phone: str = ""
    themes: list[str] = field(default_factory=list)
    support_types: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    sizes: list[str] = field(default_factory=list)


def extract(raw: str) -> Extracted:
    title, body = split_title(raw)
    site = breadcrumb_site(body)
    doc_number, code, year, serial = parse_doc_number(body)
    issuer, date = parse_signature(body)
    date = date or first_date(body, title)
    issuer = issuer or issuer_from_title(title) or site or issuer_from_head(body, title)
    level, region = level_and_region(issuer, title)
    effective_from, effective_to = effective_period(body, date)
    apply_start, apply_end = apply_window(body)
    return Extracted(
        title=title,
        body=body,
        doc_number=doc_number,
        doc_agency_code=code,
        doc_year=year,
        doc_serial=serial,
        date=date,
        issuer=issuer,
        level=level,
        region=region,
        effective_from=effective_from,
        effective_to=effective_to,
        apply_start=apply_start,
        apply_end=apply_end,
        contact_phone=contact_phone(body),
        themes=_labels(body, THEME_RULES),
        support_types=_labels(body, SUPPORT_RULES),
        industries=_labels(body, INDUSTRY_RULES),
        sizes=_labels(body, SIZE_RULES),
    )
