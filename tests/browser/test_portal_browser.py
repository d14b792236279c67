"""End-to-end in Chromium: search → law article, case → article link, editor publishing, video, axe-core."""

from __future__ import annotations

import base64
import contextlib
import re

import pytest
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.core import roles
from fazhi.core.services import ensure_user
from fazhi.publicity.models import Campaign, Post, PostStatus
from fazhi.search import build, registry
from tests.browser.helpers import sign_in_with_password
from tests.cases.conftest import ART20, make_law

pytestmark = pytest.mark.browser
PASSWORD = "browser-pass-2026"

MAKE_MEDIA_JS = """async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 180;
    const ctx = canvas.getContext("2d");
    let frame = 0;
    const draw = () => {
        ctx.fillStyle = frame % 2 ? "#9b1c1c" : "#0b5cad"; ctx.fillRect(0, 0, 320, 180);
        ctx.fillStyle = "#fff"; ctx.font = "36px sans-serif"; ctx.fillText("普法 " + frame, 20, 100); frame++;
    };
    draw();
    const poster = canvas.toDataURL("image/png").split(",")[1];
    const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm;codecs=vp8"});
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const timer = setInterval(draw, 40);
    recorder.start(100);
    await new Promise((r) => setTimeout(r, 1500));
    const stopped = new Promise((r) => (recorder.onstop = r));
    recorder.stop(); clearInterval(timer);
    await stopped;
    const bytes = new Uint8Array(await new Blob(chunks, {type: "video/webm"}).arrayBuffer());
    let s = ""; for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return {video: btoa(s), poster: poster};
}"""


@pytest.fixture
def portal(transactional_db):
    """A law with article 20, a published case applying it, a published post, a campaign, an editor."""
    law, _ = make_law(
        "中华人民共和国政府采购法实施条例",
        "政府采购法实施条例",
        {20: ART20, 9: "采购人员及相关人员与供应商有利害关系的，应当回避。"},
    )
    editor = ensure_user(
        username="editor",
        display_name="法规科编辑",
        role_names=[roles.DRAFTER, roles.STAFF_MEMBER],
        password=PASSWORD,
    )
    case = case_services.create_case(
        user=editor,
        data={
            "title": "某单位招标文件排斥外地企业参与投标",
            "category": "政府采购",
            "facts": "招标文件要求供应商“在本省具有售后服务机构”。",
            "decision": "财政部门责令采购人改正。",
            "lessons": "编制采购文件时不得设置**地域门槛**。",
            "tags": "差别待遇、典型案例",
            "source_date": "2025-12-04",
        },
        articles=[{"law": "政府采购法实施条例", "article": "第二十条"}],
    )
    case_services.publish_case(user=editor, case_id=case.pk)
    post = Post.objects.create(
        title="政府采购中的差别待遇有哪些？",
        kind="interpretation",
        summary="解读《政府采购法实施条例》第二十条。",
        body="<p>第二十条列举了八种差别待遇或者歧视待遇的情形。</p>",
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    Campaign.objects.create(name="国家宪法日", slug="constitution-day", month=12, day=4, theme="弘扬宪法精神")
    with contextlib.suppress(KeyError):  # the law library registers "laws"; without it that group is empty
        build.rebuild("laws")
    return {"law": law, "case": case, "post": post, "editor": editor}


def _law_page_ready(law) -> None:
    """The law article page belongs to the law library; skip the law-page checks until it renders."""
    from django.test import Client

    status = Client(raise_request_exception=False).get(f"/laws/{law.pk}/articles/20/").status_code
    if status != 200:
        pytest.skip(f"法规条文页面 /laws/{law.pk}/articles/20/ 返回 {status}（法规库页面尚未就绪）")


def test_a_visitor_searches_from_the_home_page_and_opens_a_law_article(page, live_server, portal, screenshot):
    try:
        registry.get("laws")
    except KeyError:
        pytest.skip("法规库检索索引（laws）尚未注册")
    page.goto(live_server.url + "/")
    screenshot(page, "home")
    page.get_by_role("searchbox", name="搜索政策、法规和案例").fill("差别待遇")
    page.keyboard.press("Enter")
    page.wait_for_selector("#group-laws")
    screenshot(page, "search")
    laws_group = page.locator("section[aria-labelledby=group-laws]")
    assert (
        page.locator("section[aria-labelledby=group-cases]")
        .get_by_text("某单位招标文件排斥外地企业参与投标")
        .count()
        == 1
    )
    laws_group.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/laws/\d+/articles/20/$"))
    _law_page_ready(portal["law"])
    assert page.get_by_text("以特定行政区域或者特定行业的业绩", exact=False).count() >= 1
    screenshot(page, "law-article")


def test_a_visitor_reads_a_case_and_follows_its_article_link(page, live_server, portal, screenshot):
    page.goto(live_server.url + "/cases/")
    page.get_by_role("link", name="某单位招标文件排斥外地企业参与投标").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert page.get_by_role("heading", name="适用条文").is_visible()
    assert (
        page.locator(".applied-article")
        .get_by_text("以特定行政区域或者特定行业的业绩", exact=False)
        .is_visible()
    )
    assert page.locator(".prose strong", has_text="地域门槛").is_visible()  # Markdown rendered
    screenshot(page, "case")
    page.get_by_role("link", name=re.compile("查看《中华人民共和国政府采购法实施条例》第二十条原文")).click()
    page.wait_for_url(re.compile(rf"/laws/{portal['law'].pk}/articles/20/$"))
    _law_page_ready(portal["law"])
    assert page.get_by_text("以特定行政区域或者特定行业的业绩", exact=False).count() >= 1
    # The article page lists the cases that applied it (fazhi.cases.selectors.cases_for_article).
    assert page.get_by_role("link", name="某单位招标文件排斥外地企业参与投标").count() == 1
    screenshot(page, "law-article-related-cases")


def test_an_editor_publishes_an_article_whose_unsafe_markup_never_runs(
    page, browser, live_server, portal, screenshot
):
    base = live_server.url
    sign_in_with_password(page, base, "editor", PASSWORD)
    page.goto(f"{base}/publicity/manage/new/")
    page.get_by_label("标题（必填）").fill("宪法宣传周：宪法与我们")
    page.get_by_label("栏目").select_option("news")
    page.get_by_label("正文").fill(
        '<p>宪法是国家的根本法。</p><img src="x" alt="" onerror="window.__xss = 1"><script>window.__xss = 2</script>'
    )
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))  # 确定发布？
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("text=已发布")
    assert asked and asked[0].startswith("确定发布？")
    screenshot(page, "editor-published")
    post = Post.objects.get(title="宪法宣传周：宪法与我们")
    assert post.status == PostStatus.PUBLISHED
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + post.get_absolute_url())
    assert visitor.get_by_role("heading", name="宪法宣传周：宪法与我们").is_visible()
    assert visitor.get_by_text("宪法是国家的根本法。").is_visible()
    assert visitor.evaluate("window.__xss") is None
    visitor.context.close()


def test_an_editor_uploads_a_micro_video_and_a_visitor_watches_it(
    page, browser, live_server, portal, screenshot
):
    base = live_server.url
    sign_in_with_password(page, base, "editor", PASSWORD)
    media = page.evaluate(MAKE_MEDIA_JS)
    page.goto(f"{base}/publicity/manage/new/")
    page.get_by_label("标题（必填）").fill("一分钟看懂政府采购差别待遇")
    page.get_by_label("栏目").select_option("video")
    page.get_by_label("摘要").fill("微视频：什么是差别待遇。")
    page.get_by_label("视频文件").set_input_files(
        {"name": "clip.webm", "mimeType": "video/webm", "buffer": base64.b64decode(media["video"])}
    )
    page.get_by_label("视频封面").set_input_files(
        {"name": "poster.png", "mimeType": "image/png", "buffer": base64.b64decode(media["poster"])}
    )
    vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n差别待遇：对供应商设置不合理条件。\n".encode()
    page.get_by_label("字幕文件").set_input_files({"name": "clip.vtt", "mimeType": "text/vtt", "buffer": vtt})
    page.get_by_label("文字稿").fill("微视频讲解政府采购中的差别待遇。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))  # 确定发布？
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("text=已发布")
    assert asked and asked[0].startswith("确定发布？")
    post = Post.objects.get(title="一分钟看懂政府采购差别待遇")
    assert post.video_type == "video/webm"

    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(base + post.get_absolute_url())
    video = visitor.locator("video")
    assert video.get_attribute("poster") == f"/publicity/media/poster/{post.pk}/"
    visitor.wait_for_function("document.querySelector('video').readyState >= 1", timeout=15_000)
    visitor.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
    visitor.wait_for_function("document.querySelector('video').currentTime > 0.2", timeout=15_000)
    assert visitor.evaluate("document.querySelector('video').error") is None
    # The captions track loads in the browser (readyState 2 = loaded) with its cue; the transcript is there.
    visitor.wait_for_function("document.querySelector('video track').readyState === 2", timeout=15_000)
    cue = visitor.evaluate("document.querySelector('video').textTracks[0].cues[0].text")
    assert cue == "差别待遇：对供应商设置不合理条件。"
    visitor.get_by_text("文字稿", exact=True).click()  # opens the <details>
    assert visitor.get_by_text("微视频讲解政府采购中的差别待遇。").is_visible()
    screenshot(visitor, "video")
    visitor.context.close()


def test_axe_finds_no_serious_violation_on_the_public_pages(page, live_server, portal, axe_check, screenshot):
    base = live_server.url
    case, post = portal["case"], portal["post"]
    pages = {
        "home": "/",
        "search": "/cases/search/?q=差别待遇",
        "cases": "/cases/",
        "case": case.get_absolute_url(),
        "post": post.get_absolute_url(),
        "publicity": "/publicity/",
    }
    problems = {}
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, f"{path} → {response and response.status}"
        screenshot(page, f"axe-{name}")
        found = axe_check(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_axe_finds_no_serious_violation_on_the_law_article_page(
    page, live_server, portal, axe_check, screenshot
):
    law = portal["law"]
    _law_page_ready(law)
    page.goto(f"{live_server.url}/laws/{law.pk}/articles/20/")
    screenshot(page, "axe-law")
    assert axe_check(page) == []


def test_the_pages_work_with_the_keyboard_alone(page, live_server, portal):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.locator("#q").focus()
    page.keyboard.type("差别待遇")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/?\?q="))
    assert page.get_by_role("heading", name=re.compile("以案释法")).is_visible()


def test_the_admin_markdown_editor_previews_safely(page, live_server, portal):
    ensure_user(username="boss", display_name="管理员", role_names=[roles.SYSADMIN], password=PASSWORD)
    sign_in_with_password(page, live_server.url, "boss", PASSWORD)
    page.goto(f"{live_server.url}/admin/cases/case/add/")
    page.locator("textarea#id_facts").fill('**重点事实** <img src=x onerror="window.__xss = 1">')
    page.locator(
        "textarea#id_facts ~ .markdown-preview-box button, #id_facts + .markdown-preview-box button"
    ).first.click()
    preview = page.locator("#id_facts + .markdown-preview-box .markdown-preview")
    preview.locator("strong", has_text="重点事实").wait_for()
    assert preview.locator("img").count() == 0  # raw HTML is shown as text, never as markup
    assert "&lt;img" in preview.inner_html()
    assert page.evaluate("window.__xss") is None
