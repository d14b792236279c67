"""效力状态: derived from the end date (有效 / 即将到期 within 30 days / 已失效) unless set with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import ValidationFailed
from fazhi.core.models import AuditEvent
from fazhi.policies import services
from fazhi.policies.models import Policy, Status, derive_status

TODAY = dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        (None, Status.VALID),
        (TODAY + dt.timedelta(days=31), Status.VALID),
        (TODAY + dt.timedelta(days=30), Status.EXPIRING),
        (TODAY, Status.EXPIRING),
        (TODAY - dt.timedelta(days=1), Status.EXPIRED),
    ],
)
def test_status_follows_the_end_date(end, expected):
    assert derive_status(effective_from=None, effective_to=end, today=TODAY) == expected


def test_an_override_wins_over_the_dates():
    assert derive_status(effective_from=None, effective_to=None, override=Status.REPEALED) == Status.REPEALED


def test_an_override_needs_a_reason(make_policy):
    with pytest.raises(ValidationFailed, match="状态说明"):
        make_policy(title="x", status_override="已废止")
    policy = make_policy(title="x", status_override="已废止", status_reason="被2026年1号文废止")
    assert policy.status == Status.REPEALED


def test_the_daily_refresh_moves_policies_on_and_records_it(make_policy):
    policy = make_policy(title="x", effective_to="2026-03-20")
    Policy.objects.filter(pk=policy.pk).update(status=Status.VALID)
    assert services.refresh_statuses(today=TODAY) == 1
    assert Policy.objects.get(pk=policy.pk).status == Status.EXPIRING
    assert services.refresh_statuses(today=dt.date(2026, 3, 21)) == 1
    assert Policy.objects.get(pk=policy.pk).status == Status.EXPIRED
    assert AuditEvent.objects.filter(action="transition", object_type="policies.Policy").count() == 2


# The notice whose title was cut to 人力资源社会保障部 (policy 122 of the shared data): its title calls it
# temporary (阶段性), so the periods its text states end it (免征期限不超过5个月 from 2020年2月: 2020-06-30).
NOTICE_122 = (
    "人力资源社会保障部 财政部 税务总局关于阶段性减免企业社会保险费的通知人社部发〔2020〕11号 "
    "各省、自治区、直辖市人民政府，新疆生产建设兵团： 为贯彻落实习近平总书记关于新冠肺炎疫情防控工作的重要指示精神，"
    "纾解企业困难，推动企业有序复工复产，支持稳定和扩大就业，根据社会保险法有关规定，经国务院同意，"
    "现就阶段性减免企业基本养老保险、失业保险、工伤保险（以下简称三项社会保险）单位缴费部分有关问题通知如下： "
    "一、自2020年2月起，各省、自治区、直辖市（除湖北省外）及新疆生产建设兵团（以下统称省）可根据受疫情影响情况和"
    "基金承受能力，免征中小微企业三项社会保险单位缴费部分，免征期限不超过5个月；对大型企业等其他参保单位"
    "（不含机关事业单位）三项社会保险单位缴费部分可减半征收，减征期限不超过3个月。 "
    "二、自2020年2月起，湖北省可免征各类参保单位（不含机关事业单位）三项社会保险单位缴费部分，免征期限不超过5个月。"
)


def _as_imported_under_the_cut_title(make_policy, external_id, **kw):
    """The notice as an installation imported it before the title fix: titled 人力资源社会保障部, so not
    read as temporary: no cue, 有效."""
    policy = make_policy(title="人力资源社会保障部", external_id=external_id, full_text=NOTICE_122, **kw)
    Policy.objects.filter(pk=policy.pk).update(facets_extracted=True, temporary_cue="", status=Status.VALID)
    return policy


def test_the_status_migration_derives_statuses_from_the_corrected_titles(db, make_policy):
    """Migrations 0008 then 0009 on an installation imported before the title fix: the notice gets its whole
    title, is read as temporary and, its measures over, is 已失效 like its reposts; it is re-indexed. A
    status an administrator set with a reason stays, and a policy whose identified fields an administrator
    edited is left alone."""
    import importlib

    from django.apps import apps

    from fazhi.policies import extract
    from fazhi.search.models import OutboxEntry

    titles = importlib.import_module("fazhi.policies.migrations.0008_titles_joined_headings")
    statuses = importlib.import_module("fazhi.policies.migrations.0009_statuses_from_joined_titles")
    imported = _as_imported_under_the_cut_title(make_policy, "n1")
    kept = _as_imported_under_the_cut_title(
        make_policy, "n2", status_override="有效", status_reason="经核实本区继续执行至2026年底"
    )
    edited = _as_imported_under_the_cut_title(make_policy, "n3")
    Policy.objects.filter(pk=edited.pk).update(facets_extracted=False)
    titles._RE_EXTRACT(apps, None)
    OutboxEntry.objects.all().delete()

    statuses.forwards(apps, None)

    policy = Policy.objects.get(pk=imported.pk)
    assert policy.title == extract.split_title(NOTICE_122)[0]
    assert (policy.status, policy.temporary_cue, str(policy.measures_end)) == (
        Status.EXPIRED,
        "阶段性",
        "2020-06-30",
    )
    assert (policy.issuer, policy.level) == ("人力资源社会保障部、财政部、税务总局", "national")
    assert (
        Policy.objects.get(pk=kept.pk).status == Status.VALID
    )  # the administrator's status, with its reason
    assert Policy.objects.get(pk=kept.pk).temporary_cue == "阶段性"
    untouched = Policy.objects.get(pk=edited.pk)
    assert (untouched.title, untouched.status) == ("人力资源社会保障部", Status.VALID)
    assert sorted(OutboxEntry.objects.values_list("object_id", flat=True)) == sorted(
        [str(imported.pk), str(kept.pk)]
    )
    # Run again (or on an installation imported after the fix): nothing left to derive.
    OutboxEntry.objects.all().delete()
    statuses.forwards(apps, None)
    assert not OutboxEntry.objects.exists()
