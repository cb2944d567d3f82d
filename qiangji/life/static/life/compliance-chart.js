/* The compliance chart by month: reads its series from a <script type="application/json"> element
   (rendered with Django's json_script, so nothing is evaluated) and draws it with the local ECharts. */
(function () {
  function draw() {
    var box = document.getElementById("compliance-chart");
    var source = document.getElementById("compliance-series");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 10, right: 10, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", name: data.count_label, minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
