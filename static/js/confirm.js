// Loaded on every page (base.html). A form (or one of its submit buttons) marked data-confirm="…" asks
// before it is sent: the message says what will happen and that it cannot be undone. Cancelling sends
// nothing and leaves the form as it was.
//
// - It listens in the capture phase, so it runs before submit-once.js disables the button: a cancelled
//   submission leaves the form usable, and submit-once never sees it.
// - The clicked button's data-confirm wins over the form's: on the score sheet 保存 asks nothing and
//   签名确认 asks. Enter in a field submits with the form's first button, as the browser decides.
// - Without JavaScript the form is sent as before; the server refuses what the rules do not allow.
(function () {
  if (window.fazhiConfirm) return; // included twice on one page
  window.fazhiConfirm = true;

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var button = event.submitter;
      var message =
        (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
