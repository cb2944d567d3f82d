// 一键求助: fill the position from the phone, keep an unsent submission in localStorage and offer it again.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-resume-key]");
    forms.forEach(function (form) {
      var key = "qiangji:" + form.getAttribute("data-resume-key");
      var fields = ["audience", "category", "description", "address", "phone", "requester_name", "place", "industry"];
      var saved = null;
      try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
      var hasErrors = form.querySelector(".field-error");
      if (saved && !hasErrors) {
        var restored = false;
        fields.forEach(function (name) {
          var input = form.elements[name];
          if (input && saved[name] && !input.value) { input.value = saved[name]; restored = true; }
        });
        var note = document.getElementById("resume-note");
        if (restored && note) { note.hidden = false; }
      }
      function save() {
        var data = {};
        fields.forEach(function (name) { var input = form.elements[name]; if (input) { data[name] = input.value; } });
        try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
      }
      form.addEventListener("input", save);
      form.addEventListener("submit", save);
    });
    if (document.querySelector("[data-submitted]")) {
      ["qiangji:service-onetap", "qiangji:service-form"].forEach(function (key) {
        try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
      });
    }
    var form = document.getElementById("onetap-form");
    var note = document.getElementById("locate-note");
    if (form && navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.latitude.value = pos.coords.latitude.toFixed(6);
        form.elements.longitude.value = pos.coords.longitude.toFixed(6);
        if (note) { note.textContent = "已获取位置"; }
      }, function () {
        if (note) { note.textContent = "未能获取位置，请填写所在地点"; }
      }, { enableHighAccuracy: false, timeout: 8000, maximumAge: 600000 });
    }
  });
})();
