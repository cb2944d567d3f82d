/* 一屏掌控's charts with the local ECharts. Data come from <script type="application/json"> (Django's
   json_script; nothing is evaluated).
   - The screen: the trend of one indicator at a time (#trend-indicator; a line for a rate, bars for a count).
   - The wall (?wall=1): the same trend, a treemap of the children (area: members, colour: the chosen
     indicator, every tile labelled with its value: never colour alone) and the ranking, rotating through
     the indicator groups every ROTATE_MS. The 60 s HTMX refresh replaces the screen; the charts are drawn
     again in the swap's own task (htmx:afterSwap) with animation off, so no empty frame shows (no flicker),
     and the rotation keeps its place.  ES5 only (Chromium 90 wall PCs). */
(function () {
  "use strict";
  var ROTATE_MS = 12000;
  var charts = {};
  var chosen = 0;  // the screen's trend series
  var wall = { code: null, rotating: true, timer: null };

  function json(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  function isWall() { return !!document.querySelector(".dashboard.wall"); }
  function fontPx(vh) { return Math.max(12, Math.round(window.innerHeight * vh / 100)); }

  function chartIn(id, dark) {
    var box = document.getElementById(id);
    if (!box || !window.echarts) return null;
    var old = charts[id];
    if (old && old.getDom() === box) return old;
    if (old) old.dispose();
    charts[id] = window.echarts.init(box, dark ? "dark" : null);
    return charts[id];
  }

  function drawTrend(series, data, onWall) {
    var chart = chartIn("trend-chart", onWall);
    if (!chart || !series) return;
    var text = onWall ? fontPx(1.5) : 12;
    chart.setOption({
      animation: !onWall,
      backgroundColor: "transparent",
      textStyle: { fontSize: text },
      tooltip: { trigger: "axis", valueFormatter: function (v) {
        return v === null || v === undefined ? "—" : v + (series.rate ? "%" : series.unit); } },
      grid: { left: 10, right: 10, top: onWall ? text * 2 : 30, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: data.months, axisLabel: { fontSize: text } },
      yAxis: { type: "value", name: series.rate ? "%" : series.unit, minInterval: series.rate ? 0 : 1,
               max: series.rate ? 100 : null, axisLabel: { fontSize: text }, nameTextStyle: { fontSize: text } },
      series: [{ name: series.name, type: series.rate ? "line" : "bar", data: series.data, smooth: true,
                 connectNulls: true, lineStyle: { width: onWall ? 4 : 2 }, symbolSize: onWall ? 10 : 4,
                 itemStyle: onWall ? { color: "#fbbf24" } : undefined,
                 label: { show: onWall, position: "top", fontSize: text, color: onWall ? "#e5e9f0" : undefined } }]
    }, true);
  }

  /* The screen (not the wall): one indicator chosen in the select. */
  function drawScreen() {
    var data = json("trend-data");
    if (!data) return;
    var pick = document.getElementById("trend-indicator");
    if (pick) {
      pick.value = String(chosen);
      pick.onchange = function () { chosen = Number(pick.value) || 0; drawScreen(); };
    }
    drawTrend(data.series[chosen] || data.series[0], data, false);
  }

  /* The wall. */
  function mix(a, b, t) {
    return "rgb(" + [0, 1, 2].map(function (i) { return Math.round(a[i] + (b[i] - a[i]) * t); }).join(",") + ")";
  }
  var BAD = [220, 38, 38], MID = [202, 138, 4], GOOD = [22, 163, 74];
  function colour(value, min, max, better) {
    if (value === null || value === undefined) return "#475569";
    var t = max > min ? (value - min) / (max - min) : 0.5;
    if (better === "low") t = 1 - t;
    return t < 0.5 ? mix(BAD, MID, t * 2) : mix(MID, GOOD, (t - 0.5) * 2);
  }
  function shown(value, ind) {
    if (value === null || value === undefined) return "—";
    if (ind.unit === "%") return value.toFixed(1) + "%";
    return (Math.round(value * 10) / 10).toLocaleString("zh-CN") + ind.unit;
  }

  function drawTreemap(code) {
    var data = json("treemap-data");
    if (!data) return;
    var chart = chartIn("treemap-chart", true);
    if (!chart) return;
    var col = 0, sizeCol = 0;
    data.indicators.forEach(function (ind, i) { if (ind.code === code) col = i; if (ind.code === "members") sizeCol = i; });
    var ind = data.indicators[col] || { unit: "", better: "high" };
    var values = data.children.map(function (c) { return c.raw[col]; }).filter(function (v) { return v !== null && v !== undefined; });
    var min = values.length ? Math.min.apply(null, values) : 0;
    var max = values.length ? Math.max.apply(null, values) : 0;
    var text = fontPx(1.45);
    chart.setOption({
      animation: false,
      backgroundColor: "transparent",
      tooltip: { formatter: function (p) { return p.name + "<br>" + ind.label + "：" + shown(p.data.indicator, ind); } },
      series: [{
        type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
        left: 0, right: 0, top: 0, bottom: 0, squareRatio: 1.2,
        label: { show: true, fontSize: text, color: "#fff", textBorderColor: "rgba(0,0,0,0.55)",
                 textBorderWidth: 2, formatter: function (p) {
                   return p.name + "\n" + shown(p.data ? p.data.indicator : null, ind); } },
        itemStyle: { borderColor: "#0b1220", borderWidth: 3, gapWidth: 3 },
        data: data.children.map(function (c) {
          var size = c.raw[sizeCol];
          return { name: c.name, value: size && size > 0 ? size : 1, indicator: c.raw[col], url: c.url,
                   itemStyle: { color: colour(c.raw[col], min, max, ind.better) } };
        })
      }]
    }, true);
    chart.off("click");
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  }

  function wallOptions() {
    var select = document.getElementById("wall-indicator");
    return select ? Array.prototype.slice.call(select.options) : [];
  }
  function groupOf(code) {
    var found = wallOptions().filter(function (o) { return o.value === code; })[0];
    return found ? found.getAttribute("data-group") : "";
  }

  function applyWall() {
    var options = wallOptions();
    if (!options.length) return;
    if (!wall.code || !groupOf(wall.code)) wall.code = options[0].value;
    var code = wall.code, group = groupOf(code);
    var select = document.getElementById("wall-indicator");
    select.value = code;
    var label = select.options[select.selectedIndex].text.split(" · ").pop();
    Array.prototype.forEach.call(document.querySelectorAll(".figure-group"), function (g) {
      g.hidden = g.getAttribute("data-group") !== group;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".group-dots li"), function (li) {
      li.className = li.getAttribute("data-group") === group ? "on" : "";
    });
    Array.prototype.forEach.call(document.querySelectorAll(".wall-group-name"), function (n) { n.textContent = group; });
    Array.prototype.forEach.call(document.querySelectorAll(".wall-indicator-name"), function (n) { n.textContent = label; });
    Array.prototype.forEach.call(document.querySelectorAll(".wall-ranking .worst-card"), function (w) {
      w.hidden = w.getAttribute("data-code") !== code;
    });
    Array.prototype.forEach.call(document.querySelectorAll(".figure"), function (f) {
      f.className = f.className.replace(/\s*\bchosen\b/g, "") + (f.getAttribute("data-code") === code ? " chosen" : "");
    });
    var data = json("trend-data");
    if (data) {
      var series = data.series.filter(function (s) { return s.code === code; })[0] || data.series[0];
      drawTrend(series, data, true);
    }
    drawTreemap(code);
  }

  function nextGroup() {
    var options = wallOptions();
    if (!options.length) return;
    var groups = [];
    options.forEach(function (o) { var g = o.getAttribute("data-group"); if (groups.indexOf(g) < 0) groups.push(g); });
    var at = groups.indexOf(groupOf(wall.code));
    var next = groups[(at + 1) % groups.length];
    wall.code = options.filter(function (o) { return o.getAttribute("data-group") === next; })[0].value;
    applyWall();
  }

  function armWall() {
    var select = document.getElementById("wall-indicator");
    if (select) select.onchange = function () { wall.code = select.value; applyWall(); };
    var button = document.querySelector(".wall-rotate");
    function label() {
      if (!button) return;
      button.setAttribute("aria-pressed", wall.rotating ? "true" : "false");
      button.textContent = button.getAttribute(wall.rotating ? "data-label-on" : "data-label-off");
    }
    if (button) button.onclick = function () { wall.rotating = !wall.rotating; label(); };
    label();
    if (!wall.timer) wall.timer = setInterval(function () { if (wall.rotating && isWall()) nextGroup(); }, ROTATE_MS);
    applyWall();
  }
  window.qjWall = { next: nextGroup, state: wall };

  function draw() { if (isWall()) armWall(); else drawScreen(); }

  function start() {
    draw();
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (k) { if (charts[k]) charts[k].resize(); });
      if (isWall()) applyWall();
    });
    // The refresh replaced the screen: draw into the new boxes at once. A MutationObserver runs before the
    // next paint, so the old picture is never followed by an empty box; htmx's events are the fallback.
    function redraw() {
      var box = document.getElementById("trend-chart");
      if (box && (!charts["trend-chart"] || charts["trend-chart"].getDom() !== box)) draw();
    }
    var holder = document.querySelector(".dashboard");
    if (holder && window.MutationObserver) new MutationObserver(redraw).observe(holder, { childList: true });
    document.body.addEventListener("htmx:afterSwap", redraw);
    document.body.addEventListener("htmx:afterSettle", redraw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
