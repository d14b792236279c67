"""`fazhi demo setup`: one district policy with structured conditions and an open application window,
and a profile for the demo enterprise account (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import accounts
from fazhi.core.models import User
from fazhi.policies.index import INDEX
from fazhi.policies.models import EnterpriseProfile, Level, Policy
from fazhi.search import outbox

DEMO_ID = "demo-district-stable-jobs"
DEMO_CREDIT_CODE = "91110105MA0000A19L"  # constructed (valid format), not a real company


def setup_demo(stdout: Any) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        policy, created = Policy.objects.get_or_create(
            external_id=DEMO_ID,
            defaults={
                "title": "（演示）区财政局关于支持小微企业稳岗扩岗的若干措施",
                "issuer": "区财政局、区人力资源和社会保障局",
                "doc_number": "区财发〔2026〕1号",
                "doc_agency_code": "区财发",
                "doc_year": 2026,
                "doc_serial": 1,
                "level": Level.DISTRICT,
                "published_date": today - dt.timedelta(days=10),
                "effective_to": today + dt.timedelta(days=365),
                "themes": ["稳岗就业"],
                "industries": ["C", "F", "H", "I"],
                "sizes": ["小型", "微型"],
                # The district of the demo enterprise below: without a region a 区级 policy is "地区待核对".
                "regions": ["北京市朝阳区"],
                "support_types": ["资金奖补"],
                "beneficiaries": "本区登记注册、不裁员或少裁员的小微企业",
                "conditions_text": "成立满1年；上年度未发生重大劳动争议。",
                "support_standard": "按参保职工人数每人500元给予一次性稳岗补贴，单户最高10万元。",
                "support_amount": None,
                "support_cap": 10,
                "apply_start": today - dt.timedelta(days=10),
                "apply_end": today + dt.timedelta(days=6),
                "apply_method": "登录区政务服务网“惠企政策直达”专栏在线申报，或到区政务服务中心3号窗口办理。",
                "contact_phone": "010-12345678",
                "min_years_established": 1,
                "full_text": "（演示数据）为帮助小微企业稳定岗位，区财政局、区人力资源和社会保障局制定本措施。"
                "对不裁员或少裁员的小微企业，按参保职工人数每人500元给予一次性稳岗补贴，单户最高10万元。",
            },
        )
        if created:
            policy.status = policy.current_status()
            policy.save(update_fields=["status"])
            outbox.enqueue(INDEX, policy.pk)
        user = User.objects.filter(username="enterprise").first()
        if user is not None:
            # The constructed code, unless an enterprise registered it meanwhile (one code, one enterprise).
            code = (
                DEMO_CREDIT_CODE
                if not accounts.credit_code_taken(DEMO_CREDIT_CODE, except_user_id=user.pk)
                else ""
            )
            EnterpriseProfile.objects.get_or_create(
                owner=user,
                defaults={
                    "name": "（演示）某某餐饮管理有限公司",
                    "credit_code": code,
                    "industry": "catering",
                    "region": "北京市朝阳区",
                    "established_on": today - dt.timedelta(days=3 * 365),
                    "employees": 45,
                    "revenue": 800,
                    "tags": ["科技型中小企业"],
                    "size": "小型",
                },
            )
    stdout.write("惠企政策演示数据：" + ("已创建。\n" if created else "已存在。\n"))
