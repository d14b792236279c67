"""远程异地评标 models: sites, expert pools, projects, bidders, committees, draws, score sheets, incidents."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Category(models.TextChoices):
    GOODS = "goods", "货物"
    SERVICES = "services", "服务"
    WORKS = "works", "工程"


class Method(models.TextChoices):
    OPEN_TENDER = "open_tender", "公开招标"
    INVITED_TENDER = "invited_tender", "邀请招标"
    COMPETITIVE_CONSULTATION = "competitive_consultation", "竞争性磋商"
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", "竞争性谈判"
    INQUIRY = "inquiry", "询价"


class EvaluationMethod(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合评分法"
    LOWEST_PRICE = "lowest_price", "最低评标价法"


class SmePolicy(models.TextChoices):
    NONE = "none", "不适用"
    RESERVED = "reserved", "专门面向中小企业采购（预留份额）"
    DEDUCTION = "deduction", "小微企业价格扣除"


class SmeSize(models.TextChoices):
    NONE = "", "非中小企业/未声明"
    MEDIUM = "medium", "中型企业"
    SMALL = "small", "小型企业"
    MICRO = "micro", "微型企业"


def mask_id_number(value: str) -> str:
    """Show an ID number as 4201**********1234: first four and last four characters only."""
    value = (value or "").strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class Site(models.Model):
    """交易中心: a public resource trading centre that hosts (主场) or assists (副场) an evaluation."""

    name = models.CharField("交易中心名称", max_length=200, unique=True)
    region = models.CharField("所在地区", max_length=100)

    class Meta:
        verbose_name = "交易中心"
        verbose_name_plural = "交易中心"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ExpertPool(models.Model):
    """专家库: one region's pool of evaluation experts, used by its trading centre."""

    name = models.CharField("专家库名称", max_length=200, unique=True)
    region = models.CharField("地区", max_length=100)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="pools", verbose_name="所属交易中心"
    )

    class Meta:
        verbose_name = "专家库"
        verbose_name_plural = "专家库"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Expert(models.Model):
    """评标专家. The ID number is stored in full and shown masked in pages."""

    pool = models.ForeignKey(
        ExpertPool, on_delete=models.PROTECT, related_name="experts", verbose_name="专家库"
    )
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    specialties = models.JSONField("评审专业", default=list, blank=True)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        verbose_name="评标专家账号",
    )
    active = models.BooleanField("在库可抽取", default=True)

    class Meta:
        verbose_name = "评标专家"
        verbose_name_plural = "评标专家"
        ordering = ["pool_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.pool.region}）"

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


# Short names of the 回避 grounds (full wording and source: rules.yaml → conflict_grounds).
GROUND_SHORT = {
    "employment": "劳动关系",
    "director": "董事监事",
    "controller": "控股股东/实际控制人",
    "family": "近亲属",
    "other": "其他关系",
}


# 实施条例第九条 limits these grounds to the years before the procurement; kin and others have no limit.
WINDOW_GROUNDS = ("employment", "director", "controller")


class ExpertRelation(models.Model):
    """专家申报的关系: a declared relation to an organisation (实施条例第九条回避情形)."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="relations", verbose_name="专家"
    )
    organisation = models.CharField("关联单位", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    ground = models.CharField("回避情形", max_length=40)
    # 实施条例第九条: a job, a board seat or control that ended more than three years before the
    # procurement (rule `conflict_window`) no longer requires 回避. Empty: the relation still stands.
    ended_on = models.DateField("关系终止日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "专家申报关系"
        verbose_name_plural = "专家申报关系"

    def __str__(self) -> str:
        return f"{self.expert.name} — {self.organisation}"

    @property
    def ground_label(self) -> str:
        return GROUND_SHORT.get(self.ground, self.ground)


class Status(models.TextChoices):
    DRAFT = "draft", "筹备中"
    DRAWN = "drawn", "已抽取专家"
    EVALUATING = "evaluating", "评标中"
    EVALUATED = "evaluated", "评标结束"
    REPORTED = "reported", "已送交评标报告"
    CONFIRMED = "confirmed", "已确定中标人"


class Project(models.Model):
    """采购项目 evaluated remotely: 主场 (host_site) plus one or more 副场 (assist_sites)."""

    code = models.CharField("项目编号", max_length=60, unique=True)
    name = models.CharField("项目名称", max_length=300)
    purchaser = models.CharField("采购人", max_length=200)
    purchaser_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchased_bidding_projects",
        verbose_name="采购人账号",
    )
    agency = models.CharField("采购代理机构", max_length=200, blank=True)
    budget = models.DecimalField("预算金额（元）", max_digits=16, decimal_places=2)
    category = models.CharField("品目类别", max_length=20, choices=Category.choices)
    method = models.CharField("采购方式", max_length=40, choices=Method.choices)
    evaluation_method = models.CharField("评标方法", max_length=20, choices=EvaluationMethod.choices)
    price_weight = models.DecimalField(
        "价格分权重（%）", max_digits=5, decimal_places=2, default=Decimal("30")
    )
    sme_policy = models.CharField(
        "中小企业政策", max_length=20, choices=SmePolicy.choices, default=SmePolicy.NONE
    )
    sme_deduction_pct = models.DecimalField(
        "小微企业价格扣除（%）", max_digits=5, decimal_places=2, default=Decimal("0")
    )
    committee_size = models.PositiveSmallIntegerField("评标委员会人数")
    purchaser_rep_count = models.PositiveSmallIntegerField("采购人代表人数", default=0)
    candidate_count = models.PositiveSmallIntegerField("推荐中标候选人数", default=3)
    host_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="hosted_projects", verbose_name="主场"
    )
    assist_sites = models.ManyToManyField(
        Site, blank=True, related_name="assisted_projects", verbose_name="副场"
    )
    evaluation_start = models.DateTimeField("评标开始时间")
    names_reveal_at = models.DateTimeField("专家名单公开时间")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    evaluation_finished_at = models.DateTimeField("评标结束时间", null=True, blank=True)
    report_submitted_at = models.DateTimeField("评标报告送交时间", null=True, blank=True)
    winner_confirmed_at = models.DateTimeField("确定中标人时间", null=True, blank=True)
    winner = models.ForeignKey(
        "Bidder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="中标人"
    )
    contract_signed_on = models.DateField("合同签订日期", null=True, blank=True)
    contract_published_on = models.DateField("合同公告日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "采购项目"
        verbose_name_plural = "采购项目"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def expert_count(self) -> int:
        return self.committee_size - self.purchaser_rep_count


class Criterion(models.Model):
    """评分因素 (other than price): points, and whether it is objective (客观分, must match across experts)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="criteria", verbose_name="项目"
    )
    name = models.CharField("评分因素", max_length=200)
    max_points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    objective = models.BooleanField("客观分", default=False)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分因素"
        verbose_name_plural = "评分因素"
        ordering = ["project_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"


class DrawQuota(models.Model):
    """抽取配额: how many experts of a specialty each site (主场/副场) draws from its own pool."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quotas", verbose_name="项目")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="交易中心")
    specialty = models.CharField("专业", max_length=100)
    count = models.PositiveSmallIntegerField("人数")

    class Meta:
        verbose_name = "抽取配额"
        verbose_name_plural = "抽取配额"
        ordering = ["project_id", "site_id", "specialty"]
        constraints = [
            models.UniqueConstraint(fields=["project", "site", "specialty"], name="bidding_quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.specialty} × {self.count}"


class Bidder(models.Model):
    """投标人 with price and 中小企业声明函 (sme_declaration)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="bidders", verbose_name="项目"
    )
    name = models.CharField("投标人名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    bid_price = models.DecimalField("投标报价（元）", max_digits=16, decimal_places=2)
    sme_declaration = models.BooleanField("提交中小企业声明函", default=False)
    sme_size = models.CharField(
        "声明企业规模", max_length=10, choices=SmeSize.choices, default="", blank=True
    )
    document = models.FileField("投标文件", upload_to="bidding/bids/%Y/", blank=True)
    valid = models.BooleanField("通过资格/符合性审查", default=True)
    invalid_reason = models.CharField("未通过原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "投标人"
        verbose_name_plural = "投标人"
        ordering = ["project_id", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="bidding_bidder_unique")]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    """评标委员会. A project keeps every committee it had; an outage past the limit supersedes one."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="committees", verbose_name="项目"
    )
    number = models.PositiveSmallIntegerField("组建次序", default=1)
    active = models.BooleanField("当前有效", default=True)
    formed_at = models.DateTimeField("组建时间")
    superseded_reason = models.CharField("重新组建原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "评标委员会"
        verbose_name_plural = "评标委员会"
        ordering = ["project_id", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="bidding_committee_unique")]

    def __str__(self) -> str:
        return f"{self.project.code} 第{self.number}届评标委员会"


class Draw(models.Model):
    """抽取记录: seed, the candidate lists each quota drew from, exclusions and the result (reproducible)."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="draws", verbose_name="委员会"
    )
    kind = models.CharField("类型", max_length=20, choices=[("initial", "组建抽取"), ("replacement", "补抽")])
    seed = models.CharField("随机种子", max_length=40)
    candidates = models.JSONField("候选名单（按配额）", default=dict)
    excluded = models.JSONField("排除名单及原因", default=dict)
    picked = models.JSONField("抽取结果（专家ID）", default=list)
    created_at = models.DateTimeField("抽取时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )

    class Meta:
        verbose_name = "抽取记录"
        verbose_name_plural = "抽取记录"
        ordering = ["committee_id", "id"]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_kind_display()} 种子 {self.seed}"


class MemberKind(models.TextChoices):
    EXPERT = "expert", "评审专家"
    PURCHASER_REP = "purchaser_rep", "采购人代表"


class CommitteeMember(models.Model):
    """评标委员会成员: a drawn expert (or a purchaser representative), the site they sit at."""

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name="委员会"
    )
    kind = models.CharField("身份", max_length=20, choices=MemberKind.choices, default=MemberKind.EXPERT)
    expert = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="专家",
    )
    rep_name = models.CharField("采购人代表姓名", max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bidding_memberships",
        verbose_name="评分账号",
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="所在场地")
    specialty = models.CharField("抽取专业", max_length=100, blank=True)
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    active = models.BooleanField("在任", default=True)
    replaced_reason = models.CharField("被替换原因", max_length=300, blank=True)
    seat = models.PositiveSmallIntegerField("席位号", default=0)

    class Meta:
        verbose_name = "评标委员会成员"
        verbose_name_plural = "评标委员会成员"
        ordering = ["committee_id", "seat", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MemberKind.PURCHASER_REP:
            return self.rep_name or "采购人代表"
        return self.expert.name if self.expert else ""


class ScoreSheet(models.Model):
    """评分表: one member's scores for every bidder; signing fixes its SHA-256 hash."""

    member = models.OneToOneField(
        CommitteeMember, on_delete=models.CASCADE, related_name="sheet", verbose_name="委员会成员"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="评分场地")
    signed_at = models.DateTimeField("签名时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_username = models.CharField("签名账号", max_length=150, blank=True)
    sign_hash = models.CharField("签名哈希（SHA-256）", max_length=64, blank=True)
    audit_seq = models.BigIntegerField("审计日志序号", null=True, blank=True)

    class Meta:
        verbose_name = "评分表"
        verbose_name_plural = "评分表"

    def __str__(self) -> str:
        return f"{self.member} 的评分表"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


class Score(models.Model):
    """One expert's points for one bidder on one criterion, with the reason if it is an outlier."""

    sheet = models.ForeignKey(
        ScoreSheet, on_delete=models.CASCADE, related_name="scores", verbose_name="评分表"
    )
    bidder = models.ForeignKey(Bidder, on_delete=models.CASCADE, related_name="scores", verbose_name="投标人")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name="评分因素"
    )
    points = models.DecimalField("得分", max_digits=6, decimal_places=2)
    reason = models.CharField("评分理由（偏离时必填）", max_length=500, blank=True)
    updated_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "bidder", "criterion"], name="bidding_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bidder} {self.criterion.name} {self.points}"


class Incident(models.Model):
    """评标异常: an outage at a site during evaluation (start, end)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="incidents", verbose_name="项目"
    )
    committee = models.ForeignKey(
        Committee, null=True, on_delete=models.SET_NULL, related_name="incidents", verbose_name="当时的委员会"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="场地")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    description = models.CharField("情况说明", max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "评标异常（故障）"
        verbose_name_plural = "评标异常（故障）"
        ordering = ["project_id", "started_at"]

    def __str__(self) -> str:
        return f"{self.site} {self.started_at:%Y-%m-%d %H:%M} {self.description[:30]}"


class IdentityMethod(models.TextChoices):
    FACE = "face", "人脸识别"
    ID_CARD = "id_card", "证件核验"
    FACE_AND_ID_CARD = "face_and_id_card", "人脸识别+证件核验"


class IdentityResult(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过"


class IdentityCheck(models.Model):
    """身份核验: a committee member's identity checked at their site; the latest check of a member counts."""

    member = models.ForeignKey(
        CommitteeMember, on_delete=models.CASCADE, related_name="identity_checks", verbose_name="委员会成员"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="核验场地")
    method = models.CharField("核验方式", max_length=20, choices=IdentityMethod.choices)
    result = models.CharField("核验结果", max_length=10, choices=IdentityResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    checked_at = models.DateTimeField("核验时间")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="核验人",
    )

    class Meta:
        verbose_name = "身份核验"
        verbose_name_plural = "身份核验"
        ordering = ["member_id", "checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.member} {self.get_method_display()} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result == IdentityResult.PASSED


class AvArchive(models.Model):
    """音视频存档: where one site's two-way audio/video recording of the evaluation is archived."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="av_archives", verbose_name="项目"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="场地")
    reference = models.CharField("存档编号或存储位置", max_length=300)
    started_at = models.DateTimeField("录制开始时间")
    ended_at = models.DateTimeField("录制结束时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "音视频存档"
        verbose_name_plural = "音视频存档"
        ordering = ["project_id", "site_id"]
        constraints = [models.UniqueConstraint(fields=["project", "site"], name="bidding_av_archive_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.reference}"


class Handover(models.Model):
    """副场移交: an assisting site hands its evaluation records over to the host site."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="handovers", verbose_name="项目"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+", verbose_name="副场")
    handed_over_on = models.DateField("移交日期")
    contents = models.CharField("移交内容", max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "副场移交"
        verbose_name_plural = "副场移交"
        ordering = ["project_id", "site_id"]
        constraints = [models.UniqueConstraint(fields=["project", "site"], name="bidding_handover_unique")]

    def __str__(self) -> str:
        return f"{self.site} {self.handed_over_on:%Y-%m-%d} 移交"


class Rule(models.Model):
    """评标规则参数: one rule as data, with its source; defaults come from bidding/data/rules.yaml."""

    key = models.CharField("规则键", max_length=60, unique=True)
    title = models.CharField("规则", max_length=200)
    value = models.JSONField("取值")
    source = models.CharField("依据", max_length=300)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "评标规则参数"
        verbose_name_plural = "评标规则参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"

    # Keys whose values are counts of working days (fazhi.core.workdays refuses negative counts).
    WORKING_DAY_KEYS = {
        "deadlines": ("report_working_days", "confirm_working_days"),
        "contract_deadline": ("publish_working_days",),
        "handover_deadline": ("working_days",),
    }

    def clean(self) -> None:
        super().clean()
        if self.key == "conflict_window":
            raw = self.value.get("years") if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 10:
                raise ValidationError({"value": "“years”应为 1 至 10 之间的整数（年）。"})
        if self.key == "identity_check_required":
            raw = self.value.get("required") if isinstance(self.value, dict) else None
            if not isinstance(raw, bool):
                raise ValidationError({"value": "“required”应为 true（须核验）或 false（不强制）。"})
        for name in self.WORKING_DAY_KEYS.get(self.key, ()):
            raw = self.value.get(name) if isinstance(self.value, dict) else None
            if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 60:
                raise ValidationError({"value": f"“{name}”应为 0 至 60 之间的整数（工作日天数）。"})
