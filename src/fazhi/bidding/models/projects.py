"""采购项目 evaluated remotely: the project with its criteria, draw quotas and bidders."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from fazhi.bidding.models.experts import Site


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


class Participation(models.TextChoices):
    """投标形式: alone, as a consortium, or a large/medium firm subcontracting to small/micro firms."""

    INDEPENDENT = "independent", "独立投标"
    CONSORTIUM = "consortium", "联合体投标"
    SUBCONTRACT = "subcontract", "大中型企业分包给小微企业"


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
    consortium_deduction_pct = models.DecimalField(
        "联合体或分包价格扣除（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="大中型企业与小微企业组成联合体或向小微企业分包的扣除比例；0 表示不接受联合体或分包。",
    )
    bid_bond = models.DecimalField(
        "投标保证金（元）",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="不收取的留空；不得超过预算金额的2%（政府采购法实施条例第三十三条，规则 bid_bond_max）。",
    )
    sme_industry = models.CharField(
        "采购标的所属行业（中小企业划分标准）",
        max_length=40,
        blank=True,
        help_text="财库〔2020〕46号第十二条（条款号请核对）：采购文件应明确采购标的对应的中小企业划分标准所属行业；"
        "按工信部联企业〔2011〕300号的行业填写，据此核验投标人中小企业声明函所填指标。留空则不核验。",
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
    """投标人 with price, 中小企业声明函 (sme_declaration: the size claimed and the figures it states, declared_*)
    and 投标形式 (participation): a consortium or a subcontracting large/medium firm states the small/micro firms'
    share of the contract (small_share_pct)."""

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
    declared_employees = models.PositiveIntegerField("声明函从业人员（人）", null=True, blank=True)
    declared_revenue = models.DecimalField(
        "声明函营业收入（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    declared_assets = models.DecimalField(
        "声明函资产总额（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    participation = models.CharField(
        "投标形式", max_length=20, choices=Participation.choices, default=Participation.INDEPENDENT
    )
    small_share_pct = models.DecimalField(
        "小微企业合同份额（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="联合协议或分包意向协议约定小微企业的合同份额占合同总金额的比例。",
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
