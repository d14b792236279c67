// Draws each dashboard chart from the JSON the page embeds; the tables under the charts hold the same data.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("report-charts");
    if (!node || !window.echarts) { return; }
    JSON.parse(node.textContent).forEach(function (chart) {
      var box = document.getElementById(chart.id);
      if (!box) { return; }
      box.classList.add("drawn");
      var option;
      if (chart.kind === "pie") {
        option = {
          tooltip: { trigger: "item" },
          series: [{ type: "pie", radius: "65%", data: chart.labels.map(function (label, i) {
            return { name: label, value: chart.values[i] || 0 };
          }) }]
        };
      } else {
        option = {
          tooltip: { trigger: "axis" },
          grid: { left: 48, right: 16, bottom: 80, top: 16 },
          xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: chart.labels.length > 4 ? 30 : 0 } },
          yAxis: { type: "value" },
          series: [{ type: chart.kind === "line" ? "line" : "bar", data: chart.values, label: { show: true, position: "top" } }]
        };
      }
      window.echarts.init(box).setOption(option);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
