// 连接超时自动退出 (GB/T 22239-2019 8.1.4.1 b) ends a session after FAZHI_SESSION_IDLE_MINUTES without a
// request. So that nobody loses what they are typing to it unwarned (GB/T 37668 / WCAG 2.2.1 计时可调), a
// signed-in page counts down from its last contact with the server and, shortly before the end, shows a
// notice with "继续使用", which pings /accounts/keepalive/ (the request pushes the end back). Contact in
// another tab counts too (shared through localStorage), as do htmx requests and pages that ping on their own
// (an open exam dispatches "fazhi:session-touched"). When the time is up the notice says so and links to the
// login page; the page is not reloaded, so what was typed stays on screen to be copied.
(function () {
  var box = document.getElementById("session-warning");
  if (!box) return;
  var idle = parseInt(box.dataset.idle, 10) * 1000;
  if (!(idle > 0)) return;
  var lead = Math.min(120000, Math.floor(idle / 4));
  var text = document.getElementById("session-warning-text");
  var button = box.querySelector("[data-session-continue]");
  var login = box.querySelector("[data-session-login]");
  var KEY = "fazhi:session-contact";
  var last = Date.now(), shown = false, expired = false;

  function store(t) { try { window.localStorage.setItem(KEY, String(t)); } catch (e) { /* private mode */ } }
  function shared() {
    try { return parseInt(window.localStorage.getItem(KEY) || "0", 10) || 0; } catch (e) { return 0; }
  }
  function latest() { return Math.max(last, shared()); }
  function hide() { if (shown && !expired) { box.hidden = true; shown = false; } }
  function touch() { last = Date.now(); store(last); hide(); }
  function show(left) {
    var minutes = Math.max(1, Math.ceil(left / 60000));
    text.textContent = "您已较长时间没有操作，约 " + minutes + " 分钟后将按安全要求自动退出登录。" +
      "如需继续，请点击“继续使用”；页面上已填写的内容不会丢失。";
    if (!shown) { box.hidden = false; shown = true; button.focus(); }
  }
  function expire() {
    expired = true;
    text.textContent = "因长时间没有操作，已按安全要求自动退出登录。本页填写的内容尚未提交，请先复制保存，再重新登录。";
    button.hidden = true;
    login.hidden = false;
    login.href = login.dataset.base + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    box.hidden = false;
    shown = true;
    login.focus();
  }
  function tick() {
    if (expired) return;
    var left = latest() + idle - Date.now();
    if (left <= 0) expire();
    else if (left <= lead) show(left);
    else hide();
  }
  button.addEventListener("click", function () {
    fetch(box.dataset.keepalive, {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": box.dataset.csrf}
    }).then(function (r) {
      if (r.ok) touch(); else expire();
    }).catch(function () {
      text.textContent = "网络连接失败，未能延长登录时间，请检查网络后再点击“继续使用”。";
    });
  });
  document.addEventListener("htmx:afterRequest", touch);
  document.addEventListener("fazhi:session-touched", touch);
  window.addEventListener("storage", function (e) { if (e.key === KEY) tick(); });
  store(last);
  window.setInterval(tick, 5000);
})();
