"""Documents the bureau publishes itself: plain notices, the system's registration and status, 已失效."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import Conflict, ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.laws import selectors, services
from fazhi.laws.models import Law, LawVersion, Level, Status
from fazhi.laws.parsing import as_one_article, parse_plain
from fazhi.laws.search import parse_filters

DAY = dt.date(2026, 3, 5)
NOTICE = "关于规范会议费管理的通知\n各单位：\n现通知如下：\n一、严格控制会议规模。\n（一）压缩天数。\n二、会议费报销须附清单。"


def register(key: str = "doc-1", text: str = NOTICE, title: str = "关于规范会议费管理的通知") -> LawVersion:
    return services.register_published_document(
        key=key,
        title=title,
        text=text,
        issuer="区财政局",
        published_on=DAY,
        provenance="本文件经合法性审查后公布",
    )


def test_a_pasted_notice_is_split_at_its_items_and_the_title_is_not_its_preamble():
    parsed = parse_plain(NOTICE)
    assert parsed.title == "关于规范会议费管理的通知" and parsed.preamble == "各单位：\n现通知如下："
    assert [(a.label, a.text) for a in parsed.articles] == [
        ("一、", "严格控制会议规模。\n（一）压缩天数。"),
        ("二、", "会议费报销须附清单。"),
    ]
    assert parse_plain(NOTICE, title="关于规范会议费管理的通知").preamble == "各单位：\n现通知如下："


def test_a_text_with_no_numbering_is_one_article_and_any_text_can_be_made_one():
    parsed = parse_plain("关于报送材料的通知\n各单位：\n请于月底前报送。")
    assert [(a.label, a.text) for a in parsed.articles] == [("全文", "各单位：\n请于月底前报送。")]
    whole = as_one_article(parse_plain(NOTICE))
    [article] = whole.articles
    assert article.text.splitlines() == [
        "各单位：",
        "现通知如下：",
        "一、严格控制会议规模。",
        "（一）压缩天数。",
        "二、会议费报销须附清单。",
    ]


def test_the_system_registers_a_published_document_once_without_a_user(db):
    version = register()
    assert version.law.level == Level.NORMATIVE_DOCUMENT and version.law.issuer == "区财政局"
    assert (version.status, version.source, version.publish_date, version.effective_date) == (
        Status.IN_FORCE,
        "review",
        DAY,
        DAY,
    )
    assert version.status_basis == "区财政局2026年3月5日公布"
    assert version.get_source_display() == "合法性审查后公布"
    assert version.articles.count() == 2
    assert register().pk == version.pk and LawVersion.objects.count() == 1
    with pytest.raises(Conflict, match="完全相同的文本版本"):
        register(key="doc-2")
    with pytest.raises(ValidationFailed, match="不能为空"):
        register(key="doc-3", text="  ")


def test_a_new_text_under_the_same_title_supersedes_the_old_one(db):
    old = register()
    new = register(key="doc-2", text=NOTICE + "\n三、本通知自印发之日起施行。")
    old.refresh_from_db()
    assert Law.objects.count() == 1 and new.version_index == 2
    assert (old.status, old.is_latest, new.is_latest) == (Status.AMENDED, False, True)
    assert "合法性审查后公布" in old.status_basis


def test_a_document_status_change_is_audited_and_repeating_it_changes_nothing(db):
    version = register()
    services.follow_document_status(version_id=version.pk, status=Status.EXPIRED, basis="有效期届满")
    services.follow_document_status(version_id=version.pk, status=Status.EXPIRED, basis="有效期届满")
    version.refresh_from_db()
    assert (version.status, version.status_basis) == (Status.EXPIRED, "有效期届满")
    events = AuditEvent.objects.filter(object_type="laws.LawVersion", action="transition")
    assert [(e.before["status"], e.after["status"]) for e in events] == [("in_force", "expired")]
    with pytest.raises(ValidationFailed):
        services.follow_document_status(version_id=version.pk, status="void", basis="x")


def test_expired_is_a_status_of_its_own_in_every_filter(db):
    version = register()
    services.follow_document_status(version_id=version.pk, status=Status.EXPIRED, basis="宣布失效")
    assert parse_filters(status="已失效").status == ["expired"]
    assert parse_filters().status == ["in_force"]  # the default search leaves it out
    params, errors = selectors.list_filters(status="已失效")
    assert params["status"] == "expired" and errors == []
    rows, facets = selectors.law_list(status="expired")
    assert [v.pk for v in rows] == [version.pk]
    assert ("expired", "已失效", 1) in facets["status"]
    assert selectors.current_version_ids([version.law_id]) == {version.law_id: version.pk}


def test_an_editor_may_paste_a_notice_without_articles(db, reviewer):
    version = services.add_law_from_text(user=reviewer, text=NOTICE, level=Level.NORMATIVE_DOCUMENT)
    assert version.source == "manual" and version.law.title == "关于规范会议费管理的通知"
    assert list(version.articles.values_list("label", flat=True)) == ["一、", "二、"]
