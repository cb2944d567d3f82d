// Plan versus actual by quarter (ECharts, local copy). Data comes from a json_script element.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("plan-chart");
  var source = document.getElementById("plan-series");
  if (!holder || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: ["本季度发展", "累计发展", "计划进度"] },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.quarters },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "本季度发展", type: "bar", data: data.actual },
      { name: "累计发展", type: "line", data: data.cumulative },
      { name: "计划进度", type: "line", lineStyle: { type: "dashed" }, data: data.planned }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
