import datetime as dt

from fazhi.core.dates import cn_date


def test_chinese_dates_have_no_leading_zeros():
    assert cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert cn_date(dt.date(2026, 12, 25)) == "2026年12月25日"
    assert cn_date(None) == "未填写"
