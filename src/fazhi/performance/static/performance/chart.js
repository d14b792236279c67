// Draws the disclosure chart from the JSON the page embeds; the data table beside it stays the source.
(function () {
  // Past this width per project the names are turned and cut short (the table beside the chart has them whole).
  var MIN_SLOT = 72;

  // Names longer than this are cut (with "…") before wrapping, so one long name cannot fill the chart.
  var MAX_LABEL = 24;

  function shortened(names) {
    return names.map(function (name) {
      return name.length > MAX_LABEL ? name.slice(0, MAX_LABEL - 1) + "…" : name;
    });
  }

  function option(d, width) {
    var slot = (width - 64) / Math.max(d.projects.length, 1);
    var turned = slot < MIN_SLOT;
    return {
      tooltip: { trigger: "axis" },
      legend: { data: ["自评总分", "预算执行率（%）"] },
      grid: { left: 8, right: 16, bottom: 8, top: 48, containLabel: true },
      xAxis: { type: "category", data: shortened(d.projects), axisLabel: {
        interval: 0, rotate: turned ? 45 : 0, width: turned ? 96 : Math.max(slot - 8, 24),
        overflow: turned ? "truncate" : "break" } },
      // Scores stop at 100, an execution rate may pass it: the axis grows so no bar is cut off.
      yAxis: { type: "value", min: 0, max: function (value) { return Math.max(100, Math.ceil(value.max / 10) * 10); } },
      series: [
        { name: "自评总分", type: "bar", data: d.scores, label: { show: true, position: "top" } },
        { name: "预算执行率（%）", type: "bar", data: d.execution, label: { show: true, position: "top" } }
      ]
    };
  }

  function draw() {
    var el = document.getElementById("perf-chart");
    var data = document.getElementById("perf-chart-data");
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.init(el);
    chart.setOption(option(d, el.clientWidth));
    window.addEventListener("resize", function () {
      chart.resize();
      chart.setOption(option(d, el.clientWidth));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
