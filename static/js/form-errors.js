// A form the server sent back with errors puts the focus on its first wrong field (marked aria-invalid, its
// error tied to it by aria-describedby): a screen reader then reads the field's label and its error, and a
// keyboard user starts where the correction is needed. The errors' role="alert" alone is not read out
// reliably when the whole page is new. A refusal that is about the whole form rather than one field (its
// message marked data-form-error) takes the focus itself, so it is read first and the form follows it.
// A page opened at an anchor (#…) keeps its place.
(function () {
  function focusFirstError() {
    if (window.location.hash) return;
    var field = document.querySelector("main form [aria-invalid='true']");
    if (field && typeof field.focus === "function") {
      field.focus();
      return;
    }
    var message = document.querySelector("main [data-form-error]");
    if (!message) return;
    if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "-1");
    message.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusFirstError);
  else focusFirstError();
})();
