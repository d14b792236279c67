// 后台任务 page (core/job.html): htmx replaces #job-status with the job's progress every second. The progress
// line (role="status") and a warning (role="alert") stay in the page instead, and are changed here only when
// their words change, so a screen reader reads each change once and nothing on an update that says the same.
// When the job ends, the link that had the focus goes with the old content: the focus is put on the result's
// heading instead of falling back to the page (it is not moved if it was elsewhere).
(function () {
  var focusWasInside = false;

  function copyLiveText(status) {
    var templates = status.querySelectorAll("template[data-job-live]");
    for (var i = 0; i < templates.length; i++) {
      var region = document.getElementById(templates[i].getAttribute("data-job-live"));
      if (!region) continue;
      var fresh = document.createElement("div");
      fresh.appendChild(templates[i].content.cloneNode(true));
      if (fresh.textContent.trim() === region.textContent.trim()) continue;
      region.replaceChildren.apply(region, Array.prototype.slice.call(fresh.childNodes));
    }
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "job-status") focusWasInside = target.contains(document.activeElement);
  });

  document.addEventListener("htmx:afterSettle", function () {
    var status = document.getElementById("job-status");
    if (!status) return;
    copyLiveText(status);
    var heading = document.getElementById("job-result-h");
    if (heading && focusWasInside && !status.contains(document.activeElement)) heading.focus();
    focusWasInside = false;
  });
})();
