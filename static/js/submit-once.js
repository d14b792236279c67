// A form that changes something (method="post") is sent once: after the first submission its button is
// disabled until the answer arrives, so a double click or an impatient second click adds nothing twice.
// The server refuses repeated requests as well (see the services); this spares users the refusal.
//
// - The clicked button is disabled only after the browser has read the form: a disabled button's
//   name=value would otherwise be left out of what is sent (the 签名 button of the score sheet).
// - A submission another script cancelled (htmx forms, a form's own check) does not count.
// - Coming back to the page from the browser's cache, the forms can be used again.
// - A form marked data-repeatable (e.g. one that only downloads a file) is left alone.
(function () {
  if (window.fazhiSubmitOnce) return; // included twice on one page
  window.fazhiSubmitOnce = true;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.hasAttribute("data-repeatable") || form.target) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    var button = event.submitter || form.querySelector("button[type=submit], input[type=submit]");
    window.setTimeout(function () {
      if (button) {
        button.disabled = true;
        button.setAttribute("data-sent", "1");
      }
    }, 0);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("[data-sent]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("data-sent");
      });
    });
  });
})();
