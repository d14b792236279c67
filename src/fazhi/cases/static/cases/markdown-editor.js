// Admin Markdown editor: a 预览 button under each Markdown textarea shows the safe rendering.
(function () {
  "use strict";
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function attach(textarea) {
    var box = document.createElement("div");
    box.className = "markdown-preview-box";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "预览";
    var out = document.createElement("div");
    out.className = "markdown-preview";
    out.setAttribute("aria-live", "polite");
    button.addEventListener("click", function () {
      var body = new URLSearchParams();
      body.append("text", textarea.value);
      fetch(textarea.dataset.previewUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin",
      })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) { out.innerHTML = data.html || "<p>（空）</p>"; })  // server-sanitised HTML
        .catch(function () { out.textContent = "预览失败，请稍后再试。"; });
    });
    box.appendChild(button);
    box.appendChild(out);
    textarea.parentNode.insertBefore(box, textarea.nextSibling);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.markdown-editor").forEach(attach);
  });
})();
