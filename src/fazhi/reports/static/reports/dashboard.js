// Draws each dashboard chart from the JSON the page embeds; the tables under the charts hold the same data.
(function () {
  "use strict";
  // Category labels wrap within their own slot; past this many slots (a phone, a long series) they are
  // turned and cut short instead. The full label is in the tooltip and in the table.
  var MIN_SLOT = 56;

  function pieOption(chart) {
    var total = chart.values.reduce(function (sum, v) { return sum + (v || 0); }, 0);
    var option = {
      tooltip: { trigger: "item" },
      // ECharts draws a circle of equal slices when every value is 0: nothing to show is said instead.
      series: [{ type: "pie", radius: "60%", stillShowZeroSum: false, data: chart.labels.map(function (label, i) {
        var value = chart.values[i] || 0;
        // A slice of 0 has no area: its name would only crowd the others' at one point.
        return { name: label, value: value, label: { show: value > 0 }, labelLine: { show: value > 0 } };
      }) }]
    };
    if (!total) {
      option.title = { text: "没有记录（各项均为 0）", left: "center", top: "middle",
                       textStyle: { fontSize: 14, fontWeight: "normal", color: "#57606a" } };
    }
    return option;
  }

  // Labels longer than this are cut (with "…") before wrapping, so one long name cannot fill the chart.
  var MAX_LABEL = 24;

  function shortened(labels) {
    return labels.map(function (label) {
      label = String(label);
      return label.length > MAX_LABEL ? label.slice(0, MAX_LABEL - 1) + "…" : label;
    });
  }

  function axisOption(chart, width) {
    var slot = (width - 64) / Math.max(chart.labels.length, 1);
    var turned = slot < MIN_SLOT;
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, bottom: 8, top: 24, containLabel: true },
      xAxis: { type: "category", data: shortened(chart.labels), axisLabel: {
        interval: 0, rotate: turned ? 45 : 0, width: turned ? 96 : Math.max(slot - 8, 24),
        overflow: turned ? "truncate" : "break", hideOverlap: false } },
      yAxis: { type: "value" },
      series: [{ type: chart.kind === "line" ? "line" : "bar", data: chart.values, label: { show: true, position: "top" } }]
    };
  }

  function draw() {
    var node = document.getElementById("report-charts");
    if (!node || !window.echarts) { return; }
    var drawn = [];
    JSON.parse(node.textContent).forEach(function (chart) {
      var box = document.getElementById(chart.id);
      if (!box) { return; }
      box.classList.add("drawn");
      var instance = window.echarts.init(box);
      instance.setOption(chart.kind === "pie" ? pieOption(chart) : axisOption(chart, box.clientWidth));
      drawn.push({ chart: chart, box: box, instance: instance });
    });
    // A turned phone or a resized window: redraw at the new width (the labels' slots change with it).
    window.addEventListener("resize", function () {
      drawn.forEach(function (d) {
        d.instance.resize();
        if (d.chart.kind !== "pie") { d.instance.setOption(axisOption(d.chart, d.box.clientWidth)); }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
