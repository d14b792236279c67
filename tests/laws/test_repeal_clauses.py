"""废止条款: a law in the library that repeals another ("…《X》同时废止") makes it 已废止 from its day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from fazhi.core import periodic
from fazhi.core.models import AuditEvent
from fazhi.laws import repeals, services
from fazhi.laws.basis import UNVERIFIED
from fazhi.laws.models import Law, LawVersion, Status

from .conftest import LAWS, shared_records, write_jsonl

NEW = "法规规章备案审查条例"  # 第二十六条 本条例自2024年11月1日起施行。…《法规规章备案条例》同时废止。
OLD = "法规规章备案条例"
BASIS = "依据《法规规章备案审查条例》第二十六条的规定，自2024年11月1日起废止"
CLAUSE = "第二十六条 本条例自2024年11月1日起施行。2001年12月14日国务院发布的《法规规章备案条例》同时废止。"


def _records(**changes: str) -> list[dict]:
    """The real pair from the shared data; `clause=` replaces the repealing article's text."""
    new, old = shared_records([(LAWS, NEW, 1), (LAWS, OLD, 1)])
    assert CLAUSE in new["text"]
    if "clause" in changes:
        new["text"] = new["text"].replace(CLAUSE, changes["clause"])
    return [new, old]


def _import(tmp_path, records) -> object:
    return services.import_laws(path=write_jsonl(tmp_path / "pair.jsonl", records))


def _old() -> LawVersion:
    return LawVersion.objects.get(law__title=OLD, is_latest=True)


@pytest.mark.django_db
def test_the_import_makes_a_law_the_library_repeals_repealed_with_the_clause_as_basis(tmp_path):
    report = _import(tmp_path, _records())
    old = _old()
    assert (old.status, old.status_basis) == (Status.REPEALED, BASIS)
    assert report.repealed == [OLD]
    assert LawVersion.objects.get(law__title=NEW).status == Status.IN_FORCE
    event = AuditEvent.objects.get(object_type="laws.LawVersion", object_id=str(old.pk), action="transition")
    assert event.before["status"] == Status.IN_FORCE and event.after == {
        "status": "repealed",
        "status_basis": BASIS,
    }
    # Idempotent: a second import and a second run change nothing and audit nothing.
    events = AuditEvent.objects.count()
    assert _import(tmp_path, _records()).repealed == []
    assert repeals.apply() == []
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_the_law_and_article_pages_link_the_repealing_article(tmp_path):
    _import(tmp_path, _records())
    old, new = Law.objects.get(title=OLD), Law.objects.get(title=NEW)
    link = f'<a class="citation" href="/laws/{new.pk}/articles/26/">《法规规章备案审查条例》第二十六条</a>'
    for url in (f"/laws/{old.pk}/", f"/laws/{old.pk}/articles/1/"):
        html = Client().get(url).content.decode()
        assert "已废止" in html and f"状态依据：依据{link}的规定，自2024年11月1日起废止" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "clause",
    [
        # only one article, or only some provisions, of the older law
        "第二十六条 本条例自2024年11月1日起施行。《法规规章备案条例》第十条同时废止。",
        "第二十六条 本条例自2024年11月1日起施行。《法规规章备案条例》中关于规章备案的规定同时废止。",
        # a title that only resembles the older one
        "第二十六条 本条例自2024年11月1日起施行。《法规、规章备案规定》同时废止。",
        # no day can be read: the version has no 施行日期 and the text states none
        "第二十六条 本条例施行后，《法规规章备案条例》同时废止。",
    ],
)
def test_what_is_not_a_whole_repeal_with_a_day_changes_nothing(tmp_path, clause):
    report = _import(tmp_path, _records(clause=clause))
    assert report.repealed == []
    assert (_old().status, _old().status_basis) == (Status.IN_FORCE, UNVERIFIED)


@pytest.mark.django_db
def test_a_repeal_set_for_a_later_day_takes_effect_on_that_day_through_the_daily_job(tmp_path):
    later = dt.date.today().year + 1
    _import(tmp_path, _records(clause=CLAUSE.replace("2024年11月1日", f"{later}年1月1日")))
    assert _old().status == Status.IN_FORCE
    assert "laws.repeals" in {job.name for job in periodic.jobs()}
    assert repeals.apply(on=dt.date(later, 1, 1) - dt.timedelta(days=1)) == []
    [applied] = repeals.apply(on=dt.date(later, 1, 1))
    assert applied.law_title == OLD
    assert _old().status_basis == f"依据《法规规章备案审查条例》第二十六条的规定，自{later}年1月1日起废止"


@pytest.mark.django_db
def test_a_basis_an_editor_gave_is_never_overwritten(tmp_path, sysadmin):
    new, old = _records()
    _import(tmp_path, [old])
    given = "经核对国务院公告，现行有效（测试）"
    services.correct_status(
        user=sysadmin, version=_old(), status=Status.IN_FORCE, basis=given, reason="核对公告"
    )
    assert _import(tmp_path, [new, old]).repealed == []
    assert (_old().status, _old().status_basis) == (Status.IN_FORCE, given)


@pytest.mark.django_db
def test_a_law_re_enacted_after_the_day_is_left_alone(tmp_path):
    new, old = _records()
    old["publish_date"] = "2025-03-01"  # published after the repeal took effect: a later text of its own
    assert _import(tmp_path, [new, old]).repealed == []
    assert _old().status == Status.IN_FORCE


@pytest.mark.django_db
def test_a_law_naming_its_own_older_text_is_left_alone(tmp_path):
    own = CLAUSE.replace("《法规规章备案条例》", "《法规规章备案审查条例》")  # as 工会法 names its 1950 text
    assert _import(tmp_path, _records(clause=own)).repealed == []
    assert {v.status for v in LawVersion.objects.all()} == {Status.IN_FORCE}


@pytest.mark.django_db
def test_the_import_command_reports_the_repealed_laws(tmp_path, capsys):
    call_command("import_laws", str(write_jsonl(tmp_path / "pair.jsonl", _records())), verbosity=0)
    assert "依据废止条款标为已废止 1 部" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("clause", "titles"),
    [
        (
            "1988年8月6日国务院发布的《中华人民共和国印花税暂行条例》同时废止",
            ["中华人民共和国印花税暂行条例"],
        ),
        ("《A条例》、《B办法》和《C规定》同时废止", ["A条例", "B办法", "C规定"]),
        ("《浙江省实施〈中华人民共和国水法〉办法》同时废止", ["浙江省实施〈中华人民共和国水法〉办法"]),
        ("《公安部关于修改<机动车登记规定>的决定》同时废止", ["公安部关于修改〈机动车登记规定〉的决定"]),
        ("《中华人民共和国反倾销和反补贴条例》中关于反倾销的规定同时废止", []),
        ("《会计人员职权条例》中有关总会计师的规定同时废止", []),
        ("《某条例》第五条、第六条同时废止", []),
        ("《某条例》（国务院令第1号）第五条同时废止", []),
        (
            "《人民检察院刑事诉讼规则（试行）》（高检发释字〔2012〕2号）同时废止",
            ["人民检察院刑事诉讼规则（试行）"],
        ),
    ],
)
def test_the_titles_a_clause_repeals_whole(clause, titles):
    assert repeals.repealed_titles(clause) == titles


def test_the_repealing_title_is_quoted_with_inner_titles_in_angle_brackets():
    assert (
        repeals.quoted("北京市实施《中华人民共和国动物防疫法》办法")
        == "《北京市实施〈中华人民共和国动物防疫法〉办法》"
    )
