(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (typeof echarts === "undefined") return;
  var dept = echarts.init(document.getElementById("chart-dept"));
  dept.setOption({
    title: { text: "各科室执法人员占比（%）" },
    tooltip: {},
    xAxis: { type: "category", data: data.departments },
    yAxis: { type: "value", max: 100 },
    series: [{ type: "bar", data: data.shares }]
  });
  var series = echarts.init(document.getElementById("chart-series"));
  series.setOption({
    title: { text: "执法人员占比按月变化（%）" },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", max: 100 },
    series: [{ type: "line", data: data.series, connectNulls: true }]
  });
})();
