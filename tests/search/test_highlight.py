from fazhi.search.highlight import snippet


def test_it_marks_query_words_and_escapes_html():
    out = snippet("用人单位<b>应当</b>支付加班费。", ["加班费"])
    assert "<mark>加班费</mark>" in out
    assert "&lt;b&gt;" in out and "<b>" not in out


def test_it_picks_the_window_with_the_most_hits():
    text = "无关内容" * 60 + "预算公开的期限为二十日，预算公开应当及时。" + "无关内容" * 60
    out = snippet(text, ["预算", "公开"], length=40)
    assert out.count("<mark>") >= 3 and out.startswith("…") and out.endswith("…")


def test_it_normalizes_traditional_text_unless_told_it_is_normalized():
    assert snippet("預算法", ["预算"]) == "<mark>預算</mark>法"  # found via simplified form, shown as written
    assert "<mark>" not in snippet("預算法", ["预算"], normalized=True)


def test_no_hit_gives_the_start_of_the_text():
    assert snippet("甲乙丙丁", ["戊"], length=2) == "甲乙…"
