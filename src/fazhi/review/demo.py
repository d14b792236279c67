"""Demo drafts for the demo accounts (drafter, reviewer, leader), in different states, and a few entries of the
发文登记簿 beside them (one 已审查, one 漏审, one 免审, one of a type that needs no review). Idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.models import User
from fazhi.review import fair_competition, opinions, services
from fazhi.review.models import Draft, IssuedDocument, PrecheckFinding, ProcedureStep, State
from fazhi.review.register import services as register

DEMO_MARK = "（演示）"
MISSED_TITLE = (
    "关于调整区级财政专项资金拨付流程的通知" + DEMO_MARK
)  # the demo's 漏审 document in the 发文登记簿

TEXT_A = """关于进一步规范区级财政专项资金管理的通知
各预算单位：
为加强财政专项资金管理，提高资金使用效益，根据《中华人民共和国预算法》等规定，现就有关事项通知如下。
一、专项资金实行项目库管理，未纳入项目库的项目不得安排预算。
二、申请扶持资金的企业须在本区注册并在本区纳税满三年。
三、对违反本通知规定的单位，由区财政局处以罚款。
四、本通知自印发之日起施行，有效期五年。"""

TEXT_A2 = TEXT_A.replace(
    "二、申请扶持资金的企业须在本区注册并在本区纳税满三年。",
    "二、申请扶持资金的企业应当符合项目申报指南规定的条件。",
).replace(
    "三、对违反本通知规定的单位，由区财政局处以罚款。",
    "三、对违反本通知规定的单位，依照《财政违法行为处罚处分条例》处理。",
)

TEXT_B = """区财政局办公设备采购项目采购文件
一、项目概况：采购台式计算机 50 台。
二、供应商资格要求：具有独立承担民事责任的能力。
三、评审办法：综合评分法，价格分值 30 分。"""

TEXT_C = """政府购买法律顾问服务合同
甲方：区财政局
乙方：某律师事务所
第一条 服务内容：为甲方提供法律咨询、合同审查等服务。
第二条 服务期限：一年。"""


def _txt(text: str) -> bytes:
    return text.encode("utf-8")


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def setup_demo(stdout: Any) -> None:
    drafter = User.objects.filter(username="drafter").first()
    reviewer = User.objects.filter(username="reviewer").first()
    leader = User.objects.filter(username="leader").first()
    if not (drafter and reviewer and leader):
        stdout.write("合法性审查：演示账号不存在，跳过演示文稿。")
        return
    if Draft.objects.filter(title__endswith=DEMO_MARK).exists():
        stdout.write("合法性审查：演示文稿已存在。")
    else:
        _demo_drafts(stdout, drafter, reviewer)
    _demo_register(stdout, reviewer)


def _demo_register(stdout: Any, reviewer: Any) -> None:
    """发文登记簿 of the demo year: the published demo draft (已审查), a normative document issued without review
    (漏审), a contract on the reviewed standard text (免审) and a meeting notice (其他文书, no review needed)."""
    if IssuedDocument.objects.filter(title=MISSED_TITLE).exists():
        stdout.write("合法性审查：演示发文登记已存在。")
        return
    published = Draft.objects.filter(title__endswith=DEMO_MARK, state=State.PUBLISHED).first()
    today = timezone.localdate()

    def day(back: int) -> dt.date:
        return max(today - dt.timedelta(days=back), dt.date(today.year, 1, 1))

    with transaction.atomic(), audit.acting_as(reviewer):
        # Drafts published before the register existed have no entry yet: it is registered here.
        if published is not None and published.published_on and not published.issued_documents.exists():
            register.create_entry(
                user=reviewer,
                doc_number=published.doc_number or f"阳财规〔{published.published_on.year}〕1号",
                title=published.title,
                unit=published.unit,
                issued_on=published.published_on,
                doc_type=published.doc_type,
                draft_id=published.pk,
            )
        register.create_entry(
            user=reviewer,
            doc_number=f"阳财规〔{today.year}〕2号",
            title=MISSED_TITLE,
            unit="国库科",
            issued_on=day(20),
            doc_type="normative",
        )
        register.create_entry(
            user=reviewer,
            doc_number=f"阳财采〔{today.year}〕3号",
            title="区财政局食堂食材采购合同" + DEMO_MARK,
            unit="办公室",
            issued_on=day(15),
            doc_type="contract",
            exempt_reason="使用本局经合法性审查的标准合同文本，未作实质性修改，按规定免予逐件审查",
        )
        register.create_entry(
            user=reviewer,
            doc_number=f"阳财办〔{today.year}〕4号",
            title="关于召开年度预算编制工作会议的通知" + DEMO_MARK,
            unit="办公室",
            issued_on=day(10),
            doc_type="other",
        )
    stdout.write("合法性审查：已登记 4 件演示发文（已审查、漏审、免审、无须审查各 1 件）。")


def _demo_drafts(stdout: Any, drafter: Any, reviewer: Any) -> None:
    with transaction.atomic(), audit.acting_as(drafter):
        # 1. A normative document: returned once with opinions, revised, approved, published.
        a = services.create_draft(
            user=drafter,
            title="关于进一步规范区级财政专项资金管理的通知" + DEMO_MARK,
            doc_type="normative",
            unit="预算科",
            affects_market=True,  # grants to enterprises: 公平竞争审查 before publication
        )
        services.upload_version(user=drafter, draft_id=a.pk, name="专项资金管理通知.docx", data=_docx(TEXT_A))
        for step in ProcedureStep:
            services.add_procedure(
                user=drafter,
                draft_id=a.pk,
                step=step,
                date=timezone.localdate(),  # not before the draft was registered
                summary=f"演示：{step.label}已完成",
            )
        services.transition(user=drafter, draft_id=a.pk, action="submit", comment="请予审查")
        services.transition(user=reviewer, draft_id=a.pk, action="start_review")
        opinions.add_finding(
            user=reviewer,
            draft_id=a.pk,
            paragraph=5,
            text="以本区注册、纳税年限作为申请条件，违反公平竞争审查要求，建议删除。",
        )
        opinions.add_finding(
            user=reviewer,
            draft_id=a.pk,
            paragraph=6,
            text="规范性文件不得设定行政处罚，建议改为依照上位法处理。",
        )
        services.transition(user=reviewer, draft_id=a.pk, action="return", comment="请按审查意见修改")
        services.upload_version(
            user=drafter,
            draft_id=a.pk,
            name="专项资金管理通知（修改稿）.txt",
            data=_txt(TEXT_A2),
            note="已按审查意见修改",
        )
        fair_competition.record(
            user=drafter,
            draft_id=a.pk,
            conclusion="compliant",
            reviewed_on=timezone.localdate(),
            summary="演示：对照《公平竞争审查条例》第八至十一条逐项审查，修改稿已删除本区注册、纳税年限等申请条件，"
            "符合审查标准。",
        )
        services.transition(user=drafter, draft_id=a.pk, action="submit", comment="已按意见修改")
        services.transition(user=reviewer, draft_id=a.pk, action="start_review")
        # The review passes only after every automated finding on the revised version is decided.
        revised = a.versions.order_by("-number").first()
        for found in PrecheckFinding.objects.filter(version=revised, decision=PrecheckFinding.Decision.OPEN):
            opinions.dismiss_precheck(
                user=reviewer,
                draft_id=a.pk,
                finding_id=found.pk,
                reason="演示：经人工核对，修改稿该处不属于问题",
            )
        services.transition(user=reviewer, draft_id=a.pk, action="approve", comment="同意发布")
        # 统一编号: published with its 文号, which registers it in the 发文登记簿 at once.
        services.transition(
            user=drafter,
            draft_id=a.pk,
            action="publish",
            comment="已印发",
            doc_number=f"阳财规〔{timezone.localdate().year}〕1号",
            signed_by="王局长",
        )

        # 2. A procurement document waiting in the reviewer's queue.
        b = services.create_draft(
            user=drafter,
            title="区财政局办公设备采购项目采购文件" + DEMO_MARK,
            doc_type="procurement",
            unit="采购办",
        )
        services.upload_version(user=drafter, draft_id=b.pk, name="采购文件.txt", data=_txt(TEXT_B))
        services.transition(user=drafter, draft_id=b.pk, action="submit", comment="请审查")
        services.transition(user=reviewer, draft_id=b.pk, action="start_review")

        # 3. A major contract waiting for the leader's sign-off; 4. a draft not yet submitted.
        c = services.create_draft(
            user=drafter,
            title="政府购买法律顾问服务合同" + DEMO_MARK,
            doc_type="contract",
            unit="法规科",
            is_major=True,
        )
        services.upload_version(user=drafter, draft_id=c.pk, name="法律顾问合同.txt", data=_txt(TEXT_C))
        services.transition(user=drafter, draft_id=c.pk, action="submit")
        services.transition(user=reviewer, draft_id=c.pk, action="start_review")
        services.create_draft(
            user=drafter, title="行政处罚决定书（样稿）" + DEMO_MARK, doc_type="penalty", unit="监督检查科"
        )
    stdout.write("合法性审查：已创建 4 件演示文稿（已发布、审查中、待领导签批、起草中）。")
