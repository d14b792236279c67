"""The 政策体检 page for screen readers and keyboard users (GB/T 37668-2019, after WCAG 2.0 AA): the fields the
form requires say so on screen and to assistive technology, the subscription's e-mail note is read with its
box, each 退订 link names the subscription it ends, and the ✓ ✗ ？ marks are read as words, not as symbols."""

from __future__ import annotations

import re
from html import unescape

import pytest

from fazhi.policies import services
from fazhi.policies.forms import ProfileForm
from fazhi.search import build

from .test_match_verified import RESTAURANT

MARKS = "✓✗？"


def form_of(page: str) -> str:
    return page.split('<form method="post" class="form" novalidate>', 1)[1].split("</form>", 1)[0]


def control_of(form: str, name: str) -> str:
    return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', form).group(0)


def label_of(form: str, name: str) -> str:
    return unescape(re.search(rf'<label for="id_{name}">(.*?)</label>', form).group(1))


@pytest.mark.parametrize("who", ["visitor", "enterprise"])
def test_the_required_fields_are_marked_in_their_labels_and_as_required(who, client, login, enterprise):
    page = (login(enterprise) if who == "enterprise" else client).get("/policies/match/").content.decode()
    form = form_of(page)
    assert "标有“（必填）”的项目须填写" in form  # the mark is explained before the first field
    required = {name for name, field in ProfileForm.base_fields.items() if field.required}
    assert required == {"name", "industry"}  # what the form truly requires, unchanged
    for name in ProfileForm.base_fields:
        if name == "tags":  # a group of boxes under a legend, never required
            assert "（必填）" not in form.split("<legend>", 1)[1].split("</legend>", 1)[0]
            continue
        label, control = label_of(form, name), control_of(form, name)
        assert ("（必填）" in label) == (name in required), label
        assert label.endswith("："), label  # the full-width colon stays last
        assert (re.search(r"\srequired[\s>]", control) is not None) == (name in required), control


def test_the_email_note_is_read_with_the_email_box(login, enterprise):
    page = login(enterprise).get("/policies/match/").content.decode()
    box = re.search(r'<input type="checkbox" name="email"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', box).group(1)
    note = re.search(rf'<span[^>]*id="{described}"[^>]*>(.*?)</span>', page).group(1)
    assert "您的账号尚未登记电子邮箱" in note and "账号信息" in note


def test_each_unsubscribe_link_names_the_subscription_it_ends(login, enterprise):
    services.subscribe(actor=enterprise, themes=["稳岗就业"])
    services.subscribe(actor=enterprise, themes=["房租减免"], industries=["H"])
    page = login(enterprise).get("/policies/match/").content.decode()
    links = re.findall(r'<a href="/policies/unsubscribe/[^"]+/"([^>]*)>([^<]*)</a>', page)
    names = [unescape(re.search(r'aria-label="([^"]+)"', attrs).group(1)) for attrs, _ in links]
    assert [text for _, text in links] == ["退订", "退订"]
    # The accessible name starts with the words on screen (WCAG 2.5.3), then says which subscription.
    assert sorted(names) == [
        "退订「主题：房租减免；行业：住宿和餐饮业」的订阅",
        "退订「主题：稳岗就业」的订阅",
    ]


def test_met_and_unmet_marks_are_hidden_and_read_as_words(login, enterprise, make_policy):
    make_policy(title="餐饮业稳岗措施", industries="H", level="国家")
    make_policy(title="小微企业专享贷款", sizes="微型", level="国家")
    build.rebuild("policies")
    client = login(enterprise)
    assert client.post("/policies/match/", RESTAURANT).status_code == 302
    page = client.get("/policies/match/").content.decode()
    results = page[page.index("匹配的政策（") : page.index("<h2>政策订阅</h2>")]
    assert '<span aria-hidden="true">✓</span><span class="sr-only">已满足：</span>' in results
    failed = results[results.index("不符合条件的政策（") :]
    assert '<span aria-hidden="true">✗</span><span class="sr-only">未满足：</span> 适用于微型企业' in failed
    # Every mark left is inside an element hidden from assistive technology.
    spoken = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", results)
    assert not [m for m in MARKS if m in spoken], spoken


def test_a_possible_match_that_is_not_shown_open_reads_its_question_marks_as_words(
    login, enterprise, make_policy
):
    # A district's policy for an enterprise that named only its city: the region is to be checked (？).
    make_policy(title="海淀区餐饮补贴", industries="H", level="区", region="北京市海淀区")
    for n in range(31):
        make_policy(title=f"第{n}号餐饮业措施", industries="H", level="国家")
    build.rebuild("policies")
    client = login(enterprise)
    assert client.post("/policies/match/", {**RESTAURANT, "region": "北京市"}).status_code == 302
    page = client.get("/policies/match/").content.decode()
    more = page[page.index("显示其余") : page.index("</details>")]
    assert '<span aria-hidden="true">？</span><span class="sr-only">待核实：</span>' in more
    results = page[page.index("匹配的政策（") : page.index("<h2>政策订阅</h2>")]
    spoken = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", results)
    assert not [m for m in MARKS if m in spoken]
