"""Start-up data: the recurring 普法 campaign dates (an administrator edits them in the admin)."""

from __future__ import annotations

from typing import Any

from fazhi.publicity.models import Campaign

# (name, slug, month, day or None for the whole month, description with its source)
CAMPAIGNS = [
    (
        "全民国家安全教育日",
        "national-security-day",
        4,
        15,
        "依据《国家安全法》第十四条，每年4月15日为全民国家安全教育日。",
    ),
    (
        "民法典宣传月",
        "civil-code-month",
        5,
        None,
        "自2021年起，每年5月开展“美好生活·民法典相伴”主题宣传月活动。",
    ),
    ("安全生产月", "work-safety-month", 6, None, "每年6月为全国“安全生产月”。"),
    (
        "国家宪法日",
        "constitution-day",
        12,
        4,
        "2014年全国人大常委会决定将12月4日设立为国家宪法日；所在一周为“宪法宣传周”。",
    ),
]


def ensure_data(stdout: Any) -> None:
    created = 0
    for name, slug, month, day, description in CAMPAIGNS:
        _, was_created = Campaign.objects.get_or_create(
            slug=slug, defaults={"name": name, "month": month, "day": day, "description": description}
        )
        created += int(was_created)
    if created:
        stdout.write(f"普法宣传日历：新增 {created} 个宣传节点。\n")
