"""惠企政策: Policy (a support-policy document), EnterpriseProfile (企业画像), PolicySubscription."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.dates import cn_date
from fazhi.policies import sizing
from fazhi.policies.size_thresholds import SizeBand as SizeBand  # 划型标准: registered with the app from here
from fazhi.policies.size_thresholds import SizeThreshold as SizeThreshold

EXPIRING_DAYS = 30
_TEMPORARY_CUE_LENGTH = 40
CLOSING_DAYS = 7  # an application window "closes soon" this many days ahead (reminders, marks)


class Level(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCIAL = "provincial", "省"
    CITY = "city", "市"
    DISTRICT = "district", "区"


class Status(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已失效"
    REPEALED = "repealed", "已废止"


INACTIVE_STATUSES = (Status.EXPIRED, Status.REPEALED)  # no longer in force: hidden from the list by default


class SupportType(models.TextChoices):
    GRANT = "grant", "资金奖补"
    TAX = "tax", "税费减免"
    LOAN_SUBSIDY = "loan_subsidy", "贷款贴息"
    RENT = "rent", "租金减免"
    SOCIAL_SECURITY = "social_security", "社保缓减"
    TALENT = "talent", "人才"
    OTHER = "other", "其他"


LEVEL_BY_CHINESE = {label: value for value, label in Level.choices}
STATUS_BY_CHINESE = {label: value for value, label in Status.choices}
SUPPORT_BY_CHINESE = {label: value for value, label in SupportType.choices}


def derive_status(
    *,
    effective_from: dt.date | None,
    effective_to: dt.date | None,
    override: str = "",
    today: dt.date | None = None,
    temporary_end: dt.date | None = None,
) -> str:
    """有效 / 即将到期 (ends within 30 days) / 已失效 from the dates, unless an administrator set one.

    A policy without an end date stays 有效: the 2020 documents rarely state one. `temporary_end` stands in
    for a missing 有效期止: the end of the periods its text dates, when its title calls it temporary
    (关于阶段性减免…的通知: the whole document is the temporary measure).
    """
    if override:
        return override
    today = today or timezone.localdate()
    effective_to = effective_to or temporary_end
    if effective_to is not None:
        if effective_to < today:
            return Status.EXPIRED
        if (effective_to - today).days <= EXPIRING_DAYS:
            return Status.EXPIRING
    return Status.VALID


@dataclass(frozen=True)
class ApplicationWindow:
    """Where today falls in a policy's 申报时间: state upcoming / open / open_ended / closing / closed, and its words."""

    state: str
    label: str  # 申报已截止 / 即将截止，剩3天 / …
    short: str  # the badge beside a date in result lists: 已截止 / 剩3天 / …


def application_window(
    start: dt.date | None, end: dt.date | None, today: dt.date | None = None
) -> ApplicationWindow | None:
    """The application window's state on `today` (None when the policy states no window).

    closing: the last CLOSING_DAYS days, the end day included ("今天截止" on it); closed: after the end day.
    """
    if start is None and end is None:
        return None
    today = today or timezone.localdate()
    if end is not None and end < today:
        return ApplicationWindow("closed", "申报已截止", "已截止")
    if start is not None and start > today:
        return ApplicationWindow("upcoming", f"尚未开始，{cn_date(start)}起可申报", "未开始")
    if end is None:  # a start date alone: not called 申报中, the window may long be over (2020 notices)
        return ApplicationWindow("open_ended", f"{cn_date(start)}起可申报，未注明截止日期", "未注明截止")
    days = (end - today).days
    if days == 0:
        return ApplicationWindow("closing", "今天截止申报", "今天截止")
    if days <= CLOSING_DAYS:
        return ApplicationWindow("closing", f"即将截止，剩{days}天", f"剩{days}天")
    return ApplicationWindow("open", f"申报中，剩{days}天", "申报中")


_CN_NUMBERS = dict(enumerate("零一二三四五六七八九十", start=0))
_AGE_WORDS = "成立|设立|注册|登记|经营|运营|开业"


def _states_years(text: str, n: int) -> bool:
    """Whether the text already requires n years of existence (成立满1年, 注册成立一年以上, 成立满两年…)."""
    numbers = [str(n)] + ([_CN_NUMBERS[n]] if n in _CN_NUMBERS else []) + (["两"] if n == 2 else [])
    number = "|".join(numbers)
    pattern = rf"(?:{_AGE_WORDS})[^。；;\n]{{0,10}}?(?<![\d十百])(?:{number})(?![\d])\s*(?:个)?(?:周)?年"
    return bool(re.search(pattern, text))


class Policy(models.Model):
    """惠企政策: one support-policy document with its facets and eligibility conditions."""

    external_id = models.CharField(
        "外部编号", max_length=64, unique=True, null=True, blank=True, help_text="导入来源的文档编号（docid）"
    )
    title = models.CharField("标题", max_length=500)
    issuer = models.CharField("发文机关", max_length=300, blank=True, help_text="多个机关用“、”分隔")
    doc_number = models.CharField("文号", max_length=100, blank=True, db_index=True)
    doc_agency_code = models.CharField("机关代字", max_length=60, blank=True)
    doc_year = models.PositiveIntegerField("文号年份", null=True, blank=True)
    doc_serial = models.PositiveIntegerField("文号序号", null=True, blank=True)
    level = models.CharField("层级", max_length=20, choices=Level.choices, blank=True, db_index=True)
    written_date = models.DateField("成文日期", null=True, blank=True)
    published_date = models.DateField("发布日期", null=True, blank=True, db_index=True)
    effective_from = models.DateField("有效期起", null=True, blank=True)
    effective_to = models.DateField("有效期止", null=True, blank=True)
    status = models.CharField(
        "效力状态", max_length=20, choices=Status.choices, default=Status.VALID, db_index=True
    )
    status_override = models.CharField(
        "人工设定状态", max_length=20, choices=Status.choices, blank=True, help_text="留空则按有效期自动计算"
    )
    status_reason = models.CharField("状态说明", max_length=300, blank=True)
    themes = models.JSONField("主题", default=list, blank=True)
    industries = models.JSONField(
        "适用行业（门类代码）",
        default=list,
        blank=True,
        help_text='国民经济行业分类门类字母，如 ["C", "H"]；空表示不限',
    )
    sizes = models.JSONField(
        "适用企业规模", default=list, blank=True, help_text="大型/中型/小型/微型；空表示不限"
    )
    regions = models.JSONField("适用地区", default=list, blank=True, help_text="空表示不限")
    support_types = models.JSONField("支持方式", default=list, blank=True)
    beneficiaries = models.TextField("惠及对象", blank=True)
    conditions_text = models.TextField("申报条件", blank=True)
    support_standard = models.TextField("支持标准", blank=True)
    support_amount = models.DecimalField(
        "支持金额（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    support_ratio = models.DecimalField(
        "支持比例（%）", max_digits=6, decimal_places=2, null=True, blank=True
    )
    support_cap = models.DecimalField(
        "最高限额（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    apply_start = models.DateField("申报开始", null=True, blank=True)
    apply_end = models.DateField("申报截止", null=True, blank=True, db_index=True)
    apply_method = models.TextField("申报方式与地点", blank=True)
    contact_phone = models.CharField("咨询电话", max_length=100, blank=True)
    interpretation = models.TextField("政策解读", blank=True)
    interpretation_of = models.ForeignKey(
        "self",
        verbose_name="解读对象",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        help_text="本文件是对哪份政策的解读",
    )
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    full_text = models.TextField("全文", blank=True)
    # Structured eligibility beyond industry/size/region (those are the list fields above).
    min_years_established = models.PositiveIntegerField("成立年限不少于（年）", null=True, blank=True)
    required_tags = models.JSONField("须具备的企业标签", default=list, blank=True)
    employees_min = models.PositiveIntegerField("从业人员不少于", null=True, blank=True)
    employees_max = models.PositiveIntegerField("从业人员不多于", null=True, blank=True)
    revenue_min = models.DecimalField(
        "营业收入不少于（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    revenue_max = models.DecimalField(
        "营业收入不多于（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    facets_extracted = models.BooleanField(
        "分类为自动提取", default=False, help_text="导入时从正文自动识别的分类，未经人工核对"
    )
    # Derived from the text on every save (see save()): the latest end of the execution periods the text
    # states for its measures ("自2020年2月1日起至6月30日止"), when the policy states no 有效期 of its own.
    measures_end = models.DateField(
        "正文所列措施最晚届满日", null=True, blank=True, editable=False, help_text="由正文自动识别"
    )
    # Derived from the title and text on every save: the words that call the policy a temporary measure
    # (阶段性, 疫情防控期间, 有效期至疫情解除…); matching asks to verify one that states no end.
    temporary_cue = models.CharField(
        "阶段性措施标志", max_length=40, blank=True, editable=False, help_text="由标题或正文自动识别"
    )
    conditions_verified = models.BooleanField(
        "适用条件已核实",
        default=True,
        help_text="行业、规模、地区等适用条件由管理员设定或核实；导入时从正文识别的为未核实，"
        "政策体检只称其“初步符合”",
    )
    # 内容相同或相近的转载 (fazhi.policies.duplicates): the oldest record of the group of policies whose texts
    # are the same or nearly so; empty for that record and for a policy without reposts. Derived from the
    # text after every import, index rebuild, edit and deletion.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="内容相同或相近的最早收录文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reposts",
        editable=False,
        help_text="由正文自动比对：本文件与该文件内容相同或相近（转载）",
    )
    minhash = models.BinaryField("正文指纹", null=True, blank=True, editable=False)
    minhash_of = models.CharField("正文指纹对应的正文摘要", max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "惠企政策"
        verbose_name_plural = "惠企政策"
        ordering = ["-published_date", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/policies/{self.pk}/"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        derived = []
        if fields is None or {"full_text", "effective_to"} & set(fields):
            self.measures_end = self.stated_measures_end()
            derived.append("measures_end")
        if fields is None or {"full_text", "title"} & set(fields):
            self.temporary_cue = self.stated_temporary_cue()
            derived.append("temporary_cue")
        if fields is not None and derived:
            kwargs["update_fields"] = {*fields, *derived}
        super().save(*args, **kwargs)

    def refresh_derived(self) -> list[str]:
        """Set the fields read from the text (for bulk writes, which skip save()); the names that changed."""
        changed = []
        for name, value in (
            ("measures_end", self.stated_measures_end()),
            ("temporary_cue", self.stated_temporary_cue()),
        ):
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
        return changed

    def stated_temporary_cue(self) -> str:
        from fazhi.policies import extract

        return extract.temporary_cue(self.title, self.full_text)[:_TEMPORARY_CUE_LENGTH]

    def stated_measures_end(self) -> dt.date | None:
        """The latest end of the measures' stated execution periods (None when the policy has its own 有效期
        or states none): when it is past, every measure the text dates has ended."""
        if self.effective_to:
            return None
        from fazhi.policies import extract  # extract is plain text work; imported here to keep models light

        return max((p.end for p in extract.stated_periods(self.full_text)), default=None)

    @property
    def doc_kind(self) -> str:
        """文种 read from the end of the title (通知, 公告, 措施 …; 其他 for news items and the rest)."""
        from fazhi.policies import extract

        return extract.doc_kind(self.title)

    @property
    def issuers(self) -> list[str]:
        return [p for p in self.issuer.replace("，", "、").replace(",", "、").split("、") if p.strip()]

    @property
    def temporary_end(self) -> dt.date | None:
        """The end of the text's dated periods when the title calls the policy temporary (see derive_status);
        read from the text, not from `measures_end`, which is only brought up to date by save()."""
        from fazhi.policies import extract

        return self.stated_measures_end() if extract.temporary_title(self.title) else None

    def current_status(self, today: dt.date | None = None) -> str:
        return derive_status(
            effective_from=self.effective_from,
            effective_to=self.effective_to,
            override=self.status_override,
            today=today,
            temporary_end=self.temporary_end,
        )

    @property
    def window(self) -> ApplicationWindow | None:
        """Today's state of the application window (申报中 / 即将截止 / 已截止 / 尚未开始)."""
        return application_window(self.apply_start, self.apply_end)

    @property
    def is_inactive(self) -> bool:
        return self.status in INACTIVE_STATUSES

    @property
    def year(self) -> int | None:
        d = self.published_date or self.written_date
        return d.year if d else self.doc_year

    def attachments_list(self) -> list[PolicyAttachment]:
        return list(self.attachments.all())

    @property
    def extra_conditions(self) -> list[str]:
        """The structured conditions (成立年限, 须具备的标签) that the conditions text does not already state."""
        text = self.conditions_text or ""
        extra = []
        n = self.min_years_established
        if n and not _states_years(text, n):
            extra.append(f"成立满{n}年")
        tags = [t for t in self.required_tags or [] if t not in text]
        if tags:
            extra.append(f"须为{'、'.join(tags)}")
        return extra


class PolicyAttachment(models.Model):
    """政策附件 (申报表格等)."""

    policy = models.ForeignKey(
        Policy, verbose_name="政策", on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to="policies/attachments/%Y/")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "政策附件"
        verbose_name_plural = "政策附件"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/policies/attachments/{self.pk}/"


class EnterpriseProfile(models.Model):
    """企业画像: what an enterprise user tells us so that policies can be matched."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="enterprise_profile",
    )
    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    industry = models.CharField("所属行业", max_length=40, help_text="工信部联企业〔2011〕300号 划型行业")
    industry_section = models.CharField(
        "行业门类", max_length=1, blank=True, help_text="国民经济行业分类门类字母；留空按划型行业推定"
    )
    region = models.CharField("所在地区", max_length=100, blank=True)
    established_on = models.DateField("成立日期", null=True, blank=True)
    employees = models.PositiveIntegerField("从业人员（人）", null=True, blank=True)
    revenue = models.DecimalField("营业收入（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    total_assets = models.DecimalField(
        "资产总额（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    tags = models.JSONField("企业标签", default=list, blank=True)
    size = models.CharField("企业规模", max_length=10, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "企业画像"
        verbose_name_plural = "企业画像"

    def __str__(self) -> str:
        return self.name


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class PolicySubscription(models.Model):
    """政策订阅: themes/industries, or "policies matching my profile"; one-click unsubscribe by token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="订阅人",
        on_delete=models.CASCADE,
        related_name="policy_subscriptions",
    )
    themes = models.JSONField("主题", default=list, blank=True)
    industries = models.JSONField("行业（门类代码）", default=list, blank=True)
    match_profile = models.BooleanField("匹配我的企业画像", default=False)
    email = models.BooleanField("同时发送电子邮件", default=True)
    active = models.BooleanField("有效", default=True)
    token = models.CharField("退订令牌", max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField("订阅时间", auto_now_add=True)
    last_checked_at = models.DateTimeField("上次检查", null=True, blank=True)

    class Meta:
        verbose_name = "政策订阅"
        verbose_name_plural = "政策订阅"

    def __str__(self) -> str:
        return f"{self.user} · {self.summary}"

    @property
    def summary(self) -> str:
        """What is subscribed, in words: “主题：稳岗就业；行业：住宿和餐饮业；匹配企业画像” (industries by
        their 门类 name, not the letter code)."""
        names = sizing.sections()
        parts = []
        if self.themes:
            parts.append("主题：" + "、".join(self.themes))
        if self.industries:
            parts.append("行业：" + "、".join(names.get(c, c) for c in self.industries))
        if self.match_profile:
            parts.append("匹配企业画像")
        return "；".join(parts) or "全部政策"
