"""Pages: who sees what, the expert's tablet scoring page, pool import with per-row errors, masked IDs."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from fazhi.bidding.models import Expert, Project, ScoreSheet
from tests.bidding.helpers import make_id, score_all

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "评审专业", "工作单位", "联系电话", "申报关系"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("experts.xlsx", buf.getvalue(), content_type=XLSX)


@pytest.mark.django_db
def test_anonymous_users_go_to_login_and_outsiders_are_refused(client, login, outsider, enterprise, project):
    for url in (
        "/bidding/",
        f"/bidding/projects/{project.pk}/",
        "/bidding/pools/",
        f"/bidding/projects/{project.pk}/score/",
    ):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
        for user in (outsider, enterprise):
            assert login(user).get(url).status_code == 403
    r = login(outsider).post(f"/bidding/projects/{project.pk}/draw/")
    assert r.status_code == 403 and not project.committees.exists()


@pytest.mark.django_db
def test_the_supervisor_reads_the_project_but_gets_no_action_forms(login, supervisor, project):
    page = login(supervisor).get(f"/bidding/projects/{project.pk}/").content.decode()
    assert project.name in page and "甲科技有限公司" in page
    assert "随机抽取评标专家" not in page and "登记投标人" not in page
    r = login(supervisor).post(f"/bidding/projects/{project.pk}/draw/")
    assert r.status_code == 403 and not project.committees.exists()
    assert login(supervisor).get("/bidding/pools/").status_code == 403


@pytest.mark.django_db
def test_a_buyer_creates_a_project_from_the_form(login, buyer, sites, pools):
    host, jj = sites
    start = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {
        "code": "PAGE-1",
        "name": "页面新建项目",
        "purchaser": "汉阳区某局",
        "budget": "2000000",
        "category": "goods",
        "method": "open_tender",
        "evaluation_method": "comprehensive",
        "price_weight": "30",
        "sme_policy": "deduction",
        "sme_deduction_pct": "15",
        "committee_size": "5",
        "host_site_id": str(host.pk),
        "assist_site_ids": [str(jj.pk)],
        "quotas": f"{host.name} | 信息技术 | 3\n{jj.name} | 信息技术 | 2",
        "criteria": "技术 | 50 | 主观\n资质 | 20 | 客观",
        "evaluation_start": start,
        "names_reveal_at": start,
    }
    client = login(buyer)
    bad = client.post("/bidding/projects/new/", {**form, "criteria": "技术 | 50 | 主观"})
    assert bad.status_code == 400 and "应为 100 分" in bad.content.decode()
    r = client.post("/bidding/projects/new/", form)
    project = Project.objects.get(code="PAGE-1")
    assert r.status_code == 302 and r["Location"] == f"/bidding/projects/{project.pk}/"
    assert project.criteria.get(name="资质").objective and project.sme_deduction_pct == 15


@pytest.mark.django_db
def test_a_buyer_draws_from_the_page_and_names_stay_hidden_until_the_reveal_time(login, buyer, project):
    Project.objects.filter(pk=project.pk).update(names_reveal_at=timezone.now() + dt.timedelta(hours=3))
    client = login(buyer)
    r = client.post(f"/bidding/projects/{project.pk}/draw/", follow=True)
    page = r.content.decode()
    seed = project.committees.get().draws.get().seed
    assert f"随机种子 <code>{seed}</code>" in page and "按种子复算一致" in page
    assert "（名单未到公开时间）" in page
    for expert in Expert.objects.filter(memberships__isnull=False):
        assert expert.name not in page


@pytest.mark.django_db
def test_the_expert_scoring_page_is_built_for_a_tablet_and_signs(login, drawn):
    project, committee = drawn
    score_all(project, committee)
    member = committee.members.order_by("seat").first()
    client = login(member.user)
    page = client.get(f"/bidding/projects/{project.pk}/score/").content.decode()
    assert 'name="viewport"' in page and "bidding/bidding.css" in page
    assert 'inputmode="decimal"' in page and "客观分" in page
    assert page.count('class="score-card"') == 3
    fields = {}
    for b in project.bidders.all():
        for c in project.criteria.all():
            fields[f"s-{b.pk}-{c.pk}"] = "8" if c.objective else str(c.max_points * 8 / 10)
    r = client.post(f"/bidding/projects/{project.pk}/score/", {**fields, "sign": "1"}, follow=True)
    assert "已签名确认评分表" in r.content.decode()
    assert ScoreSheet.objects.get(member=member).signed
    # Another expert cannot open a seat that is not theirs; a buyer has no seat at all.
    other = committee.members.order_by("seat").last()
    assert "席位 5" in login(other.user).get(f"/bidding/projects/{project.pk}/score/").content.decode()


@pytest.mark.django_db
def test_a_pool_import_with_bad_rows_lists_each_row_and_imports_nothing(login, buyer, pools):
    pool = pools[0]
    good = make_id()
    upload = workbook(
        [
            ["张三", good, "信息技术、工程造价", "汉阳区某大学", "13900000000", "武汉某公司:近亲属"],
            ["李四", "420105198001011234", "信息技术", "", "", ""],
            ["", make_id(), "", "", "", ""],
            ["王五", good, "信息技术", "", "", ""],
            ["赵六", make_id(), "信息技术", "", "", "某公司:朋友"],
        ]
    )
    r = login(buyer).post(f"/bidding/pools/{pool.pk}/", {"form": "import", "file": upload})
    page = r.content.decode()
    assert r.status_code == 400
    assert "第 3 行：身份证号“4201…”格式或校验位不正确" in page
    assert "第 4 行：姓名为空；评审专业为空" in page
    assert "第 5 行：身份证号与第 2 行重复" in page
    assert "第 6 行：申报关系“某公司:朋友”的回避情形无法识别" in page
    assert not Expert.objects.filter(pool=pool).exists()


@pytest.mark.django_db
def test_a_clean_import_creates_experts_and_the_page_masks_their_id_numbers(login, buyer, pools):
    pool = pools[0]
    ids = [make_id(), make_id()]
    upload = workbook(
        [
            [
                "张三",
                ids[0],
                "信息技术、工程造价",
                "汉阳区某大学",
                "13900000000",
                "武汉某公司:近亲属；某集团:董事监事",
            ],
            ["李四", ids[1], "信息技术", "九江某院", "", ""],
        ]
    )
    client = login(buyer)
    r = client.post(f"/bidding/pools/{pool.pk}/", {"form": "import", "file": upload}, follow=True)
    assert "新增 2 人" in r.content.decode()
    zhang = Expert.objects.get(id_number=ids[0])
    assert zhang.specialties == ["信息技术", "工程造价"]
    assert sorted(zhang.relations.values_list("ground", flat=True)) == ["director", "family"]
    page = client.get(f"/bidding/pools/{pool.pk}/").content.decode()
    assert ids[0] not in page and f"{ids[0][:4]}**********{ids[0][-4:]}" in page
    assert "武汉某公司（近亲属）" in page


@pytest.mark.django_db
def test_a_file_that_is_not_excel_is_refused_with_a_message(login, buyer, pools):
    upload = SimpleUploadedFile("experts.xlsx", b"name,id\n", content_type=XLSX)
    r = login(buyer).post(f"/bidding/pools/{pools[0].pk}/", {"form": "import", "file": upload}, follow=True)
    assert "请上传 Excel（.xlsx）文件" in r.content.decode()


@pytest.mark.django_db
def test_the_report_downloads_for_staff_and_not_for_an_expert(login, buyer, drawn):
    project, committee = drawn
    r = login(buyer).get(f"/bidding/projects/{project.pk}/report.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    expert = committee.members.first().user
    assert login(expert).get(f"/bidding/projects/{project.pk}/report.docx").status_code == 403


@pytest.mark.django_db
def test_the_rules_page_shows_sources(login, supervisor):
    page = login(supervisor).get("/bidding/rules/").content.decode()
    assert "财政部令第87号《政府采购货物和服务招标投标管理办法》第四十七条" in page
    assert "政府采购法实施条例第四十三条" in page
