/* The learning clock of one chapter (no dependencies). It reports every few seconds the interval played
   since the last report, one report at a time with an increasing sequence number; the server measures the
   real time and decides what counts. The clock pauses when the tab is hidden (visibilitychange), on a
   seek the played segment is reported and a new one starts, and a random check pauses everything until
   the learner answers it. */
(function () {
  "use strict";
  var EVERY_MS = 5000;

  function start(root) {
    if (root.dataset.learner !== "1") return;
    var media = root.querySelector("video, audio");
    var status = root.querySelector("[data-status]");
    var checkBox = root.querySelector("[data-check]");
    var duration = parseFloat(root.dataset.duration);
    var maxSpeed = parseFloat(root.dataset.maxSpeed) || 1;
    var token = null, seq = 0, segStart = null, lastTime = 0, stopped = false, checking = false;
    var chain = Promise.resolve();
    var reading = 0, readTimer = null; // text/PDF: a virtual position advanced while visible

    function post(url, body) {
      return fetch(url, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf},
        body: JSON.stringify(body)
      }).then(function (r) { return r.json().then(function (data) { return {ok: r.ok, status: r.status, data: data}; }); });
    }
    function say(text) { status.textContent = text; }
    function now() { return media ? media.currentTime : reading; }
    function playing() { return media ? !media.paused && !media.ended : readTimer !== null; }
    function pause() {
      if (media) media.pause();
      if (readTimer) { clearInterval(readTimer); readTimer = null; }
    }

    function report(from, to) {
      if (!token || stopped || from === null || to <= from) return chain;
      var body = {token: token, seq: ++seq, start: Math.max(0, from), end: Math.min(duration, to)};
      chain = chain.then(function () {
        if (stopped) return;
        return post(root.dataset.heartbeatUrl, body).then(function (answer) {
          var d = answer.data || {};
          if (!answer.ok) {
            if (d.code === "superseded" || d.code === "closed") { stopped = true; pause(); }
            say(d.detail || "进度未计入");
            return;
          }
          root.dataset.covered = d.covered_seconds;
          if (d.completed) { stopped = true; root.dataset.completed = "1"; say("已完成，学时已计入。"); return; }
          say("已学习 " + Math.floor(100 * d.coverage) + "%");
          if (d.check_code) showCheck(d.check_code);
        });
      });
      return chain;
    }
    function flush() {
      if (segStart === null) return;
      var from = segStart, on = playing(), t = now();
      var to = Math.abs(t - lastTime) <= 1.5 ? Math.max(lastTime, t) : lastTime;
      lastTime = to; segStart = on ? to : null;
      report(from, to);
    }
    function showCheck(code) {
      checking = true; pause(); segStart = null;
      checkBox.hidden = false;
      checkBox.querySelector("[data-check-code]").textContent = code;
      checkBox.querySelector("[data-check-input]").focus();
    }
    checkBox.querySelector("[data-check-submit]").addEventListener("click", function () {
      var input = checkBox.querySelector("[data-check-input]");
      post(root.dataset.checkUrl, {token: token, code: input.value}).then(function (answer) {
        if (!answer.ok) { checkBox.querySelector("[data-check-error]").textContent = (answer.data || {}).detail || "回答不正确"; return; }
        checking = false; checkBox.hidden = true; input.value = "";
        checkBox.querySelector("[data-check-error]").textContent = "";
        say("请继续学习");
      });
    });

    if (media) {
      media.addEventListener("play", function () {
        if (checking || stopped) { media.pause(); return; }
        segStart = media.currentTime; lastTime = media.currentTime;
      });
      media.addEventListener("timeupdate", function () {
        var t = media.currentTime;
        if (segStart !== null && Math.abs(t - lastTime) > 1.5) { // a seek: report what was played, start anew
          var from = segStart; report(from, lastTime); segStart = t;
        }
        lastTime = t;
      });
      media.addEventListener("pause", flush);
      media.addEventListener("ended", function () { lastTime = media.currentTime; flush(); segStart = null; });
      media.addEventListener("ratechange", function () {
        if (media.playbackRate > maxSpeed) media.playbackRate = maxSpeed;
      });
    } else {
      var button = root.querySelector("[data-read]");
      if (button) button.addEventListener("click", function () {
        if (readTimer || checking || stopped) return;
        segStart = reading; lastTime = reading;
        readTimer = setInterval(function () { reading = Math.min(duration, reading + 1); lastTime = reading;
          if (reading >= duration) { flush(); pause(); } }, 1000);
      });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        flush(); pause(); segStart = null;
        chain = chain.then(function () { say("页面不可见，已暂停计时"); });
      }
    });
    setInterval(function () { if (playing() && !checking) flush(); }, EVERY_MS);

    post(root.dataset.startUrl, {chapter: parseInt(root.dataset.chapter, 10)}).then(function (answer) {
      if (!answer.ok) { say((answer.data || {}).detail || "无法开始学习"); stopped = true; return; }
      token = answer.data.token; root.dataset.ready = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-player]").forEach(start);
  });
})();
