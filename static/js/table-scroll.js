// A wide table stands in a box that the server renders focusable and named ({% table_scroll %}, see
// fazhi/core/templatetags/table_scroll.py): on a narrow screen the table scrolls sideways in it and the keyboard
// reaches it, with or without JavaScript. What is left here is for a table that fits its box (a wide window):
// a box with nothing to scroll is no extra tab stop and no extra landmark, so its tabindex, role and name are
// taken away, and given back (the name kept in data-name) when the window narrows and the table no longer
// fits. A box that scrolls is called by its name and "（可左右滚动）". Boxes that htmx brings in are handled as
// they arrive. The boxes are never moved: moving one would take the focus from a field inside it.
(function () {
  var SUFFIX = "（可左右滚动）";

  function fit() {
    document.querySelectorAll("main .table-scroll").forEach(function (box) {
      if (!box.hasAttribute("data-name")) {
        if (!box.hasAttribute("aria-label")) return; // not one of the server's boxes
        box.setAttribute("data-name", box.getAttribute("aria-label"));
      }
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.getAttribute("data-name") + SUFFIX);
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else {
        if (document.activeElement === box) return; // it keeps the focus it has
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("tabindex");
      }
    });
  }

  var pending = 0;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(fit, 150);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fit);
  else fit();
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", fit);
})();
