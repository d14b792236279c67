"""企业划型标准 as an admin-editable table: seeded from the YAML, corrected in the admin, audited."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission

from fazhi.core.errors import PermissionDenied
from fazhi.core.models import AuditEvent
from fazhi.policies import bootstrap, services, sizing
from fazhi.policies.models import SizeThreshold

pytestmark = pytest.mark.usefixtures("size_table")

SOFTWARE_FIRM = {"name": "某软件公司", "industry": "software", "employees": 40, "revenue": 600}


def row(industry: str, band: str) -> SizeThreshold:
    return SizeThreshold.objects.get(industry=industry, band=band)


def change_url(threshold: SizeThreshold) -> str:
    return f"/admin/policies/sizethreshold/{threshold.pk}/change/"


def form_data(threshold: SizeThreshold, **overrides: object) -> dict[str, object]:
    """The change form as shown (the row's values), with some fields changed."""
    data: dict[str, object] = {
        name: "" if getattr(threshold, name) is None else getattr(threshold, name)
        for name in sizing.INDICATORS
    }
    data.update({"source": threshold.source, "note": ""}, **overrides)
    return data


def values_of(threshold: SizeThreshold) -> tuple:
    threshold.refresh_from_db()
    return (threshold.employees, threshold.revenue, threshold.assets, threshold.source)


def test_the_table_holds_every_band_of_every_industry_as_shipped_with_its_source():
    rows = {(r.industry, r.band): r for r in SizeThreshold.objects.all()}
    assert len(rows) == 16 * 3
    for shipped in sizing.default_rows():
        stored = rows[(shipped["industry"], shipped["band"])]
        for name in sizing.INDICATORS:
            assert getattr(stored, name) == shipped[name], (shipped, name)
        assert "工信部联企业〔2011〕300号" in stored.source
    # Industries measured by one or two indicators keep the others blank: construction has no employees.
    assert row("construction", "medium").employees is None
    assert row("other", "small").revenue is None and row("other", "small").assets is None


def test_an_edited_threshold_changes_the_size_of_a_saved_profile_and_the_page_names_the_new_source(
    login, sysadmin, enterprise
):
    profile = services.save_profile(actor=enterprise, data=SOFTWARE_FIRM)
    assert profile.size == "小型"
    medium = row("software", "medium")
    resp = login(sysadmin).post(
        change_url(medium),
        form_data(medium, employees=30, revenue=500, source="区财政局更正（2026年第1号）", note="试行"),
    )
    assert resp.status_code == 302, resp.content.decode()
    profile.refresh_from_db()
    assert profile.size == "中型"
    result = sizing.classify(industry="software", employees=40, revenue=600)
    assert result.size == "中型"
    assert "区财政局更正（2026年第1号）" in result.steps[0] and "300号" in result.steps[0]
    page = login(enterprise).get("/policies/match/").content.decode()
    assert "企业规模：中型" in page and "区财政局更正（2026年第1号）" in page
    assert "中型企业下限（从业人员 30人、营业收入 500万元）" in page


def test_each_edit_goes_into_the_audit_chain_with_before_and_after(login, sysadmin, enterprise):
    services.save_profile(actor=enterprise, data=SOFTWARE_FIRM)
    medium = row("software", "medium")
    login(sysadmin).post(change_url(medium), form_data(medium, employees=30, revenue=500))
    edit = AuditEvent.objects.get(
        object_type="policies.SizeThreshold", object_id=str(medium.pk), action="update"
    )
    assert edit.actor == sysadmin
    assert (edit.before["employees"], edit.before["revenue"]) == (100, "1000.00")
    assert (edit.after["employees"], edit.after["revenue"]) == (30, "500.00")
    resized = AuditEvent.objects.get(object_id=str(medium.pk), action="resize_profiles")
    assert resized.actor == sysadmin
    assert [(c["name"], c["from"], c["to"]) for c in resized.after["changes"]] == [
        ("某软件公司", "小型", "中型")
    ]


@pytest.mark.parametrize(
    ("band", "overrides", "message"),
    [
        ("medium", {"employees": -1}, "中型企业下限的从业人员（人）不能为负数。"),
        (
            "medium",
            {"employees": 300},
            "中型企业下限的从业人员（300人）须低于中小微型企业上限（300人）。",
        ),
        ("medium", {"revenue": 50}, "中型企业下限的营业收入（50万元）须高于小型企业下限（50万元）。"),
        ("large", {"revenue": 900}, "须高于中型企业下限（1000万元）"),
        (
            "small",
            {"employees": 0},
            "小型企业下限的从业人员（0人）须大于 0：低于小型企业下限的才是微型企业。",
        ),
        (
            "small",
            {"revenue": ""},
            "软件和信息技术服务业各档均按从业人员、营业收入划型：请填写这些指标，其余留空。",
        ),
        ("small", {"assets": 100}, "各档均按从业人员、营业收入划型"),
        ("small", {"employees": "", "revenue": ""}, "小型企业下限至少须填写一项指标"),
        ("small", {"source": " "}, "请填写依据"),
    ],
)
def test_a_bad_edit_is_refused_with_its_reason_and_changes_nothing(
    login, sysadmin, enterprise, band, overrides, message
):
    profile = services.save_profile(actor=enterprise, data=SOFTWARE_FIRM)
    threshold = row("software", band)
    before = values_of(threshold)
    events = AuditEvent.objects.filter(object_type="policies.SizeThreshold").count()
    resp = login(sysadmin).post(change_url(threshold), form_data(threshold, **overrides))
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert values_of(threshold) == before
    assert AuditEvent.objects.filter(object_type="policies.SizeThreshold").count() == events
    profile.refresh_from_db()
    assert profile.size == "小型"


def test_staff_without_the_permission_cannot_open_or_post_the_admin(login, reviewer, outsider):
    threshold = row("software", "medium")
    before = values_of(threshold)
    staff = login(reviewer)
    assert staff.get("/admin/policies/sizethreshold/").status_code == 403
    assert staff.get(change_url(threshold)).status_code == 403
    assert staff.post(change_url(threshold), form_data(threshold, employees=30)).status_code == 403
    resp = login(outsider).post(change_url(threshold), form_data(threshold, employees=30))
    assert resp.status_code == 302 and "/login/" in resp["Location"]
    assert values_of(threshold) == before


def test_staff_granted_the_permission_can_edit(login, reviewer):
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_sizethreshold", "change_sizethreshold"])
    )
    threshold = row("software", "medium")
    client = login(reviewer)
    assert client.get("/admin/policies/sizethreshold/").status_code == 200
    assert "工信部联企业〔2011〕300号" in client.get(change_url(threshold)).content.decode()
    resp = client.post(change_url(threshold), form_data(threshold, employees=30))
    assert resp.status_code == 302
    assert row("software", "medium").employees == 30


def test_rows_are_corrected_never_added_or_deleted(login, sysadmin):
    client = login(sysadmin)
    assert client.get("/admin/policies/sizethreshold/add/").status_code == 403
    assert (
        client.post(
            f"/admin/policies/sizethreshold/{row('retail', 'small').pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert SizeThreshold.objects.count() == 48


def test_the_service_refuses_an_actor_without_the_permission(reviewer):
    threshold = row("software", "medium")
    with pytest.raises(PermissionDenied) as exc:
        services.save_threshold(
            actor=reviewer, threshold_id=threshold.pk, values=form_data(threshold, employees=30)
        )
    assert "没有修改企业划型标准的权限" in str(exc.value)
    assert row("software", "medium").employees == 100


def test_an_empty_table_falls_back_to_the_shipped_thresholds():
    SizeThreshold.objects.all().delete()
    assert sizing.classify(industry="industry", employees=300, revenue=2000).size == "中型"
    assert sizing.classify(industry="industry", employees=299, revenue=2000).size == "小型"
    assert sizing.in_force()["industry"].source == sizing.source()


def test_fazhi_data_ensure_puts_back_missing_rows_and_keeps_corrected_ones(settings, tmp_path):
    row("retail", "small").delete()
    SizeThreshold.objects.filter(industry="retail", band="medium").update(employees=60)
    settings.FAZHI_DATA_DIR = tmp_path  # no policy documents: only the thresholds are ensured
    out = io.StringIO()
    bootstrap.ensure_data(out)
    assert "企业划型标准：新增 1 条" in out.getvalue()
    assert row("retail", "small").employees == 10
    assert row("retail", "medium").employees == 60
    bootstrap.ensure_data(out)
    assert "企业划型标准：已是最新" in out.getvalue()


@pytest.fixture
def empty_cache():
    """Outside a transaction the thresholds are cached per process: start and end with nothing cached, so
    that this worker's later tests do not read the rows this test leaves behind."""
    sizing.invalidate()
    yield
    sizing.invalidate()


@pytest.mark.django_db(transaction=True)
def test_a_saved_edit_reaches_the_cached_thresholds_at_once(sysadmin, empty_cache):
    assert sizing.classify(industry="retail", employees=40, revenue=400).size == "小型"  # cached now
    medium = row("retail", "medium")
    services.save_threshold(
        actor=sysadmin, threshold_id=medium.pk, values=form_data(medium, employees=40, revenue=400)
    )
    assert sizing.classify(industry="retail", employees=40, revenue=400).size == "中型"
