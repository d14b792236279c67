"""Request and response schemas of the remote-evaluation records: 身份核验, 音视频存档, 副场移交 and 更正."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class IdentityCheckIn(Schema):
    member_id: int
    method: str  # face | id_card | face_and_id_card
    result: str  # passed | failed
    note: str = ""
    checked_at: dt.datetime | None = None  # now when not given


class IdentityCheckOut(Schema):
    id: int
    committee: int  # 第 N 届
    member_id: int
    seat: int
    name: str  # hidden until the names are released, as in the committee list
    site: str
    method: str
    method_label: str
    result: str
    result_label: str
    note: str
    checked_at: dt.datetime
    checked_by: str


class AvArchiveIn(Schema):
    site_id: int
    reference: str
    started_at: dt.datetime
    ended_at: dt.datetime


class AvArchiveOut(Schema):
    id: int
    site_id: int
    site: str
    role: str
    reference: str
    started_at: dt.datetime
    ended_at: dt.datetime
    recorded_by: str


class HandoverIn(Schema):
    site_id: int
    handed_over_on: dt.date
    contents: str


class HandoverOut(Schema):
    id: int | None = None  # the handover record; None while the site has not handed over
    site_id: int
    site: str
    due: dt.date | None
    overdue: bool
    handed_over: bool
    handed_over_on: dt.date | None
    contents: str
    recorded_by: str
    source: str


class ContractCorrectionIn(Schema):
    """更正 of the contract days: give the day(s) to correct (a missing one is kept) and the reason."""

    signed_on: dt.date | None = None
    published_on: dt.date | None = None
    reason: str = ""


class AvArchiveCorrectionIn(Schema):
    reference: str | None = None
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    reason: str = ""


class HandoverCorrectionIn(Schema):
    handed_over_on: dt.date | None = None
    contents: str | None = None
    reason: str = ""


class BidCorrectionChangeOut(Schema):
    field: str
    label: str
    before: str  # as shown on the page; the audit event keeps the exact values
    after: str


class BidCorrectionOut(Schema):
    id: int
    subject: str  # contract | av_archive | handover
    subject_label: str
    site: str | None
    changes: list[BidCorrectionChangeOut]
    reason: str
    corrected_by: str
    corrected_at: dt.datetime
    audit_seq: int | None
