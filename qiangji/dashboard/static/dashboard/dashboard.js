/* The trend chart of the dashboard: reads its data from <script type="application/json" id="trend-data">
   (Django's json_script, nothing is evaluated) and draws it with the local ECharts.  Redrawn after an HTMX
   refresh of the wall screen.  Rates and counts get separate axes; the first few series are shown, the
   legend toggles the rest. */
(function () {
  var SHOWN = 4;
  var chart = null;

  function draw() {
    var box = document.getElementById("trend-chart");
    var source = document.getElementById("trend-data");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var wall = !!box.closest(".wall");
    if (chart) { chart.dispose(); }
    chart = window.echarts.init(box, wall ? "dark" : null);
    var selected = {};
    data.series.forEach(function (s, i) { selected[s.name] = i < SHOWN; });
    var text = wall ? 18 : 12;
    chart.setOption({
      backgroundColor: "transparent",
      textStyle: { fontSize: text },
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll", selected: selected, textStyle: { fontSize: text } },
      grid: { left: 10, right: 10, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: data.months, axisLabel: { fontSize: text } },
      yAxis: [
        { type: "value", name: "%", max: function (v) { return Math.max(100, Math.ceil(v.max)); },
          axisLabel: { fontSize: text } },
        { type: "value", axisLabel: { fontSize: text }, splitLine: { show: false } }
      ],
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", smooth: true, yAxisIndex: s.rate ? 0 : 1, data: s.data,
                 connectNulls: true };
      })
    });
  }

  function start() {
    draw();
    window.addEventListener("resize", function () { if (chart) chart.resize(); });
    document.body.addEventListener("htmx:afterSettle", function () {
      var box = document.getElementById("trend-chart");
      if (box && (!chart || chart.getDom() !== box)) draw();  // the refresh replaced the screen
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
