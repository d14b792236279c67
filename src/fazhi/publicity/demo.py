"""Demo data for the 普法专栏: a few posts, themes, a responsibility list with activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from fazhi.cases.models import Case, CaseStatus
from fazhi.core import audit
from fazhi.publicity.bootstrap import ensure_data
from fazhi.publicity.models import (
    Activity,
    ActivityForm,
    Campaign,
    ItemStatus,
    Post,
    PostKind,
    PostStatus,
    ResponsibilityItem,
    ResponsibilityList,
)

DEPARTMENT = "区财政局"

POSTS = [
    (
        PostKind.INTERPRETATION,
        "政府采购中哪些做法属于对供应商的差别待遇？",
        "《政府采购法实施条例》第二十条列举了以不合理条件对供应商实行差别待遇或者歧视待遇的八种情形。",
        "<p>《政府采购法实施条例》第二十条规定，采购人或者采购代理机构有下列情形之一的，属于以不合理的条件对供应商实行差别待遇或者歧视待遇：</p>"
        "<ol><li>就同一采购项目向供应商提供有差别的项目信息；</li><li>设定的资格、技术、商务条件与采购项目的具体特点和实际需要不相适应或者与合同履行无关；</li>"
        "<li>采购需求中的技术、服务等要求指向特定供应商、特定产品；</li><li>以特定行政区域或者特定行业的业绩、奖项作为加分条件或者中标、成交条件；</li>"
        "<li>对供应商采取不同的资格审查或者评审标准；</li><li>限定或者指定特定的专利、商标、品牌或者供应商；</li>"
        "<li>非法限定供应商的所有制形式、组织形式或者所在地；</li><li>以其他不合理条件限制或者排斥潜在供应商。</li></ol>"
        "<p>编制采购文件时，要求“在本地设有售后服务机构”、以本地业绩加分等做法都可能落入上述情形，应在发布前自查。</p>",
    ),
    (
        PostKind.QA,
        "问：申请公开政府信息，行政机关多久必须答复？",
        "依据《政府信息公开条例》第三十三条。",
        "<p><strong>答：</strong>行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复；不能当场答复的，应当自收到申请之日起20个工作日内予以答复；"
        "需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。</p>"
        "<p>逾期不答复的，申请人可以依法申请行政复议或者提起行政诉讼。</p>",
    ),
    (
        PostKind.NEWS,
        "区财政局开展“宪法宣传周”进机关活动",
        "围绕国家宪法日，组织全局干部学习宪法，开展宪法知识竞赛。",
        "<p>围绕12月4日国家宪法日，区财政局组织开展“宪法宣传周”系列活动：集中学习宪法文本、组织宪法知识线上竞赛，"
        "并在办事大厅设置宣传展板，向前来办事的企业和群众发放宣传资料。</p>",
    ),
]


def setup_demo(stdout: Any) -> None:
    ensure_data(stdout)
    today = timezone.localdate()
    constitution = Campaign.objects.get(slug="constitution-day")
    Campaign.objects.filter(responsible_department="").update(responsible_department=DEPARTMENT)
    if not constitution.theme:
        constitution.theme = "大力弘扬宪法精神，推进法治政府建设"
        constitution.quiz_title = "宪法知识竞赛"
        constitution.quiz_url = "/exams/"
        constitution.save()
    civil = Campaign.objects.get(slug="civil-code-month")
    cases = list(
        Case.objects.filter(status=CaseStatus.PUBLISHED, category__in=["procurement", "penalty"])[:3]
    )
    if cases and not civil.cases.exists():
        civil.cases.add(*cases)
    if Post.objects.exists():
        stdout.write("普法专栏演示数据：已存在，跳过。\n")
        return
    with audit.suspended():
        for n, (kind, title, summary, body) in enumerate(POSTS):
            Post.objects.create(
                kind=kind,
                title=title,
                summary=summary,
                body=body,
                status=PostStatus.PUBLISHED,
                published_at=timezone.now() - dt.timedelta(days=n),
                campaign=constitution if kind == PostKind.NEWS else None,
            )
        lst, _ = ResponsibilityList.objects.get_or_create(year=today.year, department="政府采购监督管理科")
        items = [
            (
                "中华人民共和国政府采购法",
                "采购人、代理机构、供应商",
                "政府采购法规专题培训",
                dt.date(today.year, 3, 31),
                ItemStatus.DONE,
            ),
            (
                "中华人民共和国预算法",
                "预算单位财务人员",
                "预算法进单位讲座",
                dt.date(today.year, 6, 30),
                ItemStatus.IN_PROGRESS,
            ),
            (
                "中华人民共和国宪法",
                "全局干部职工",
                "宪法宣传周学习与知识竞赛",
                dt.date(today.year, 12, 4),
                ItemStatus.PLANNED,
            ),
        ]
        created = []
        for law, audiences, activity, when, status in items:
            created.append(
                ResponsibilityItem.objects.create(
                    responsibility_list=lst, law_title=law, audiences=audiences, planned_activity=activity,
                    planned_date=when, status=status, completed_at=when if status == ItemStatus.DONE else None,
                )
            )  # fmt: skip
        Activity.objects.create(
            title="政府采购法规专题培训", department=lst.department, date=dt.date(today.year, 3, 20), place="区财政局三楼会议室",
            form=ActivityForm.TRAINING, audience_count=86, description="讲解政府采购需求管理和常见违法违规情形。", item=created[0],
        )  # fmt: skip
    stdout.write("普法专栏演示数据：3 篇文章、1 份责任清单。\n")
