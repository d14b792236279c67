// On a narrow screen a wide table scrolls sideways in its own box (see .table in site.css) instead of widening
// the page. A box that scrolls must be reachable by keyboard, or its hidden columns cannot be read without a
// mouse (GB/T 37668-2019 / WCAG 2.1.1): each table in the page that is wider than its box is put in a
// .table-scroll box that takes the focus (arrow keys then scroll it) and is named after the table's caption,
// or the heading above it (with its first column's title, or a number, if two tables would share a name). The
// box gives up the focus again when the table fits (a wider window). Boxes a template already made focusable
// are left alone; tables that htmx brings in are handled as they arrive.
(function () {
  var MARK = "data-table-scroll";

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var own = table.getAttribute("aria-label");
    if (own) return own;
    var section = table.closest("[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    if (heading && heading.textContent.trim()) return heading.textContent.trim();
    var headings = Array.prototype.filter.call(document.querySelectorAll("main h1, main h2, main h3, main h4"),
      function (h) { return h.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING; });
    var last = headings[headings.length - 1];
    return last ? last.textContent.trim() : "表格";
  }

  function boxFor(table) {
    var parent = table.parentElement;
    if (parent.classList.contains("table-scroll")) {
      if (parent.hasAttribute("tabindex") && !parent.hasAttribute(MARK)) return null; // the template's own
      parent.setAttribute(MARK, "");
      return parent;
    }
    if (table.scrollWidth <= table.clientWidth) return null; // fits: nothing to scroll, no box needed
    var box = document.createElement("div");
    box.className = "table-scroll";
    box.setAttribute(MARK, "");
    parent.insertBefore(box, table);
    box.appendChild(table);
    return box;
  }

  function uniqueName(table, used) {
    var name = nameOf(table);
    if (used[name]) {
      var first = table.querySelector("th");
      if (first && first.textContent.trim()) name += "：" + first.textContent.trim();
    }
    var plain = name;
    for (var n = 2; used[name]; n++) name = plain + "（" + n + "）";
    used[name] = true;
    return name;
  }

  function fit() {
    var used = {};
    document.querySelectorAll("main [role=region][aria-label]:not([" + MARK + "])").forEach(function (region) {
      used[region.getAttribute("aria-label")] = true;
    });
    document.querySelectorAll("main table.table").forEach(function (table) {
      var box = boxFor(table);
      if (!box) return;
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", uniqueName(table, used) + "（可左右滚动）");
        box.setAttribute("tabindex", "0");
      } else {
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
