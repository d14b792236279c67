// The answer sheet (exams/attempt.html): the remaining time, a session kept alive while the candidate reads,
// and a question before 交卷 saying how many questions are still blank.
//
// - Time running out reloads the page: the server hands the paper in at its deadline (answers are saved on
//   every change), so nothing here asks or waits for the candidate then.
// - 交卷 asks with the count of blank questions; declining sends nothing. Accepting adds confirm_blank=1,
//   which the server reads as "the blanks are known" (without this script it asks itself, on a page of its
//   own). A button marked data-confirmed (仍要交卷 on that page) has asked already.
(function () {
  var timer = document.getElementById("timer");
  var form = document.getElementById("exam-sheet");
  if (!timer || !form) return;
  var end = Date.now() + parseInt(timer.dataset.remaining, 10) * 1000;

  // Reading a long question sends no request: ping so the idle timeout does not log the candidate out.
  var every = parseInt(timer.dataset.keepaliveEvery, 10) * 1000, pinged = Date.now();
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
  function tick() {
    if (Date.now() - pinged >= every) {
      pinged = Date.now();
      fetch(timer.dataset.keepalive, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrf ? csrf.value : ""}});
      document.dispatchEvent(new CustomEvent("fazhi:session-touched"));  // the idle notice counts it
    }
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    timer.textContent = "剩余时间：" + Math.floor(left / 60) + " 分 " + (left % 60) + " 秒（服务器计时，到时自动交卷）";
    if (left <= 0) { window.location.reload(); return; }
    setTimeout(tick, 1000);
  }
  tick();

  function blankCount() {
    var blank = 0;
    form.querySelectorAll("fieldset").forEach(function (question) {
      if (!question.querySelector("input:checked")) blank += 1;
    });
    return blank;
  }

  // Browsers without SubmitEvent.submitter: remember the button that was clicked.
  var clicked = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[type=submit]");
    if (button && button.form === form) clicked = button;
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter || clicked;
    clicked = null;
    if (!button || button.value !== "submit" || button.hasAttribute("data-confirmed")) return;
    if (Date.now() >= end) return; // the time is up: the paper is handed in anyway
    var blank = blankCount();
    var question = (blank ? "还有 " + blank + " 题未作答，" : "已全部作答，") + "交卷后不能修改。确定交卷？";
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (blank && !form.querySelector("input[name=confirm_blank]")) {
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirm_blank";
      confirmed.value = "1";
      form.appendChild(confirmed);
    }
  });
})();
