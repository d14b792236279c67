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


def test_scan_looks_for_hits_only_at_the_head_of_a_long_text():
    text = "甲" * 300 + "加班费" + "乙" * 300
    assert "<mark>加班费</mark>" in snippet(text, ["加班费"], length=20, scan=400)
    assert snippet(text, ["加班费"], length=20, scan=100) == "甲" * 20 + "…"


def test_join_puts_adjacent_words_in_one_mark():
    assert snippet("减免房租。", ["减免", "房租"]) == "<mark>减免</mark><mark>房租</mark>。"
    assert snippet("减免房租。", ["减免", "房租"], join=True) == "<mark>减免房租</mark>。"


def test_single_characters_are_marked_only_when_asked_and_never_choose_the_window():
    words = ["中小", "微", "企业"]
    assert snippet("中小微企业", words) == "<mark>中小</mark>微<mark>企业</mark>"
    assert snippet("中小微企业", words, single_chars=True, join=True) == "<mark>中小微企业</mark>"
    text = "微" * 100 + "扶持企业"
    assert snippet(text, words, length=20, single_chars=True).endswith("<mark>企业</mark>")


def test_distinct_prefers_a_passage_naming_several_words_to_one_repeating_a_word():
    text = "补贴补贴补贴补贴" + "。" * 40 + "房租补贴" + "。" * 40
    assert snippet(text, ["补贴", "房租"], length=12).startswith("<mark>补贴</mark>")
    assert "<mark>房租</mark><mark>补贴</mark>" in snippet(text, ["补贴", "房租"], length=12, distinct=True)


def test_as_written_keeps_the_text_as_written_where_normalizing_changes_its_length():
    text = "減免房租，詳見附件……（２０２０年）"
    assert snippet(text, ["减免", "2020"]) == "<mark>减免</mark>房租,详见附件......(<mark>2020</mark>年)"
    assert snippet(text, ["减免", "2020"], as_written=True) == (
        "<mark>減免</mark>房租，詳見附件……（<mark>２０２０</mark>年）"
    )


def test_every_option_still_escapes_the_text():
    out = snippet(
        "<script>减免</script>房租…",
        ["减免", "房租"],
        scan=100,
        join=True,
        single_chars=True,
        distinct=True,
        as_written=True,
    )
    assert out == "&lt;script&gt;<mark>减免</mark>&lt;/script&gt;<mark>房租</mark>…"


def test_a_region_limits_the_search_and_marks_what_was_dropped():
    text = "稳岗" * 10 + "甲" * 200 + "稳岗补贴发放" + "乙" * 200
    start = text.index("稳岗补贴")
    out = snippet(text, ["稳岗", "补贴"], length=40, region=(start - 10, start + 16))
    assert out.startswith("…") and out.endswith("…")
    assert "<mark>稳岗</mark>" in out and "<mark>补贴</mark>" in out
    # The hits at the head are outside the region and are not chosen.
    assert not out.startswith("<mark>")
    # A region covering the whole text changes nothing.
    assert snippet(text, ["稳岗"], length=40, region=(0, len(text))) == snippet(text, ["稳岗"], length=40)
