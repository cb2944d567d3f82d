/* The trend chart of the dashboard: reads its data from <script type="application/json" id="trend-data">
   (Django's json_script, nothing is evaluated) and draws one indicator at a time (chosen in
   #trend-indicator; a line for a rate, bars for a count) with the local ECharts.  Redrawn after an
   HTMX refresh of the wall screen. */
(function () {
  var chart = null;
  var chosen = 0;

  function draw() {
    var box = document.getElementById("trend-chart");
    var source = document.getElementById("trend-data");
    if (!box || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var pick = document.getElementById("trend-indicator");
    if (pick) {
      pick.value = String(chosen);
      pick.onchange = function () { chosen = Number(pick.value) || 0; draw(); };
    }
    var series = data.series[chosen] || data.series[0];
    if (!series) return;
    var wall = !!box.closest(".wall");
    if (chart) chart.dispose();
    chart = window.echarts.init(box, wall ? "dark" : null);
    var text = wall ? 18 : 12;
    chart.setOption({
      backgroundColor: "transparent",
      textStyle: { fontSize: text },
      tooltip: { trigger: "axis", valueFormatter: function (v) {
        return v === null || v === undefined ? "—" : v + (series.rate ? "%" : series.unit); } },
      grid: { left: 10, right: 10, top: 30, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: data.months, axisLabel: { fontSize: text } },
      yAxis: { type: "value", name: series.rate ? "%" : series.unit, minInterval: series.rate ? 0 : 1,
               max: series.rate ? 100 : null, axisLabel: { fontSize: text } },
      series: [{ name: series.name, type: series.rate ? "line" : "bar", data: series.data, smooth: true,
                 connectNulls: true, label: { show: wall, position: "top", fontSize: text } }]
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
