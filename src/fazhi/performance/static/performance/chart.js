// Draws the disclosure chart from the JSON the page embeds; the data table beside it stays the source.
(function () {
  function draw() {
    var el = document.getElementById("perf-chart");
    var data = document.getElementById("perf-chart-data");
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["自评总分", "预算执行率（%）"] },
      xAxis: { type: "category", data: d.projects, axisLabel: { interval: 0 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        { name: "自评总分", type: "bar", data: d.scores, label: { show: true, position: "top" } },
        { name: "预算执行率（%）", type: "bar", data: d.execution, label: { show: true, position: "top" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
