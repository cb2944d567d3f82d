/* The work shell's behaviour (ADR 0020). Every page works without it; this adds: the sidebar's collapse
   (remembered), toasts (Django messages, HX-Trigger {"qj:toast": {message, level}}, HTMX failures), phone
   cards for plain tables (data-label from the header), the scope switcher (orgs:search), select-all for
   bulk actions, and the default breadcrumbs giving way to a page's own. ES5 only: Chromium 90 wall PCs. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.className += " js";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function text(key) {
    var zh = (doc.documentElement.lang || "zh").indexOf("zh") === 0;
    var words = {
      failed: zh ? "操作失败，请稍后重试" : "The action failed, please try again",
      offline: zh ? "无法连接服务器，请检查网络" : "Cannot reach the server, check the network",
      none: zh ? "没有找到匹配的党组织" : "No matching organisation",
      searching: zh ? "查找中…" : "Searching…",
      unavailable: zh ? "暂时无法查找，请按回车在党组织列表中查找" : "Search unavailable, press Enter to search the list"
    };
    return words[key];
  }

  /* Toasts */
  var ICONS = { error: "circle-x", warning: "alert-triangle", success: "circle-check", info: "info-circle" };
  function sprite() {
    var use = doc.querySelector(".topbar use, svg.icon use");
    return use ? use.getAttribute("href").split("#")[0] : "";
  }
  function dismiss(toast) {
    toast.className += " leaving";
    setTimeout(function () { if (toast.parentNode) toast.parentNode.removeChild(toast); }, 350);
  }
  function arm(toast) {
    var close = toast.querySelector(".toast-close");
    if (close) close.addEventListener("click", function () { dismiss(toast); });
    if (!/\berror\b/.test(toast.className)) setTimeout(function () { dismiss(toast); }, 6000);
  }
  function toast(message, level) {
    level = ICONS[level] ? level : "success";
    var stack = doc.getElementById("toasts");
    var tpl = doc.getElementById("toast-template");
    if (!stack || !tpl) return;
    var node = doc.importNode(tpl.content, true).firstElementChild || doc.importNode(tpl.content, true).firstChild;
    node.className = "qj-toast " + level;
    node.setAttribute("role", level === "error" ? "alert" : "status");
    node.querySelector(".toast-text").textContent = message;
    var href = sprite();
    if (href) {
      node.querySelector(".toast-icon").innerHTML =
        '<svg class="icon" width="20" height="20" aria-hidden="true"><use href="' + href + "#ti-" + ICONS[level] + '"></use></svg>';
    }
    stack.appendChild(node);
    arm(node);
  }
  window.qjToast = toast;

  /* Plain tables become cards on phones: label each cell with its column's header. */
  function cardify(root) {
    each((root || doc).querySelectorAll("table.table"), function (table) {
      if (table.getAttribute("data-cards") === "off" || table.classList.contains("as-cards")) return;
      var head = table.tHead && table.tHead.rows[0];
      if (!head || !table.tBodies.length) return;
      var labels = [];
      each(head.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) labels.push(th.textContent.replace(/\s+/g, " ").trim());
      });
      var ok = true;
      each(table.tBodies[0].rows, function (tr) {
        var n = 0;
        each(tr.cells, function (td) { n += td.colSpan || 1; });
        if (n !== labels.length && tr.cells.length !== 1) ok = false;
      });
      if (!ok) return;
      each(table.tBodies[0].rows, function (tr) {
        var col = 0;
        each(tr.cells, function (td) {
          if (!td.hasAttribute("data-label")) td.setAttribute("data-label", tr.cells.length === 1 ? "" : labels[col] || "");
          if (td.querySelector(".btn, button, form")) td.classList.add("has-action");
          col += td.colSpan || 1;
        });
      });
      table.classList.add("as-cards");
      var box = table.parentNode;
      if (box && box.classList && (box.classList.contains("table-scroll") || box.classList.contains("table-container"))) {
        box.classList.add("as-cards");
      }
    });
  }

  /* Selection and bulk actions. A checkbox [data-select-all="name"] ticks every input[name=name] on the
     page; [data-selected-count] shows how many are ticked; [data-needs-selection] is disabled at none.
     A button [data-bulk-set="value"] (with [data-bulk-all]: every row, else the ticked ones) sets the
     radio of that value in each row's own HTMX form and lets it save, one row after the other, exactly as
     a tap on the row would (each save is the row's service call with its audit entry). */
  var updaters = [];
  function bulk(root) {
    each((root || doc).querySelectorAll("[data-select-all]"), function (all) {
      if (all._qj) return;
      all._qj = true;
      var name = all.getAttribute("data-select-all");
      var bar = all.closest("[data-bulk]") || doc;
      function boxes() { return doc.querySelectorAll('input[type=checkbox][name="' + name + '"]'); }
      function update() {
        var n = 0, total = 0;
        each(boxes(), function (b) { total++; if (b.checked) n++; });
        all.checked = total > 0 && n === total;
        all.indeterminate = n > 0 && n < total;
        each(bar.querySelectorAll("[data-selected-count]"), function (el) { el.textContent = String(n); });
        each(bar.querySelectorAll("[data-needs-selection]"), function (el) { el.disabled = n === 0; });
      }
      all.addEventListener("change", function () {
        each(boxes(), function (b) { b.checked = all.checked; });
        update();
      });
      doc.addEventListener("change", function (e) { if (e.target && e.target.name === name) update(); });
      updaters.push(update);
      each(bar.querySelectorAll("[data-bulk-set]"), function (button) {
        button.addEventListener("click", function () {
          var value = button.getAttribute("data-bulk-set");
          var rows = [];
          each(boxes(), function (b) {
            if (button.hasAttribute("data-bulk-all") || b.checked) rows.push(b.value);
          });
          button.disabled = true;
          var done = 0;
          function next() {
            if (!rows.length) {
              button.disabled = button.hasAttribute("data-needs-selection");
              toast(doc.documentElement.lang.indexOf("zh") === 0 ? "已保存 " + done + " 人" : "Saved " + done, "success");
              update();
              return;
            }
            var pk = rows.shift();
            var box = doc.querySelector('input[type=checkbox][name="' + name + '"][value="' + pk + '"]');
            var row = box && box.closest("li, tr");
            var radio = row && row.querySelector('input[type=radio][value="' + value + '"]');
            if (!radio || radio.checked) { next(); return; }
            var form = radio.form;
            var finished = false;
            var once = function () {  // on the form itself: its row is swapped out before the event bubbles
              if (finished) return;
              finished = true;
              form.removeEventListener("htmx:afterRequest", once);
              done++;
              setTimeout(next, 0);
            };
            form.addEventListener("htmx:afterRequest", once);
            setTimeout(once, 15000);  // never stall the queue on a lost answer
            radio.checked = true;
            radio.dispatchEvent(new Event("change", { bubbles: true }));
          }
          next();
        });
      });
      update();
    });
  }

  /* The scope switcher: search the user's tree by name (orgs:search), go to the node's page. */
  function switcher() {
    var form = doc.querySelector(".scope-switcher");
    if (!form) return;
    var input = form.querySelector("input[type=search]");
    var list = form.querySelector(".scope-results");
    var url = form.getAttribute("data-search-url");
    var target = form.getAttribute("data-target") === "dashboard" ? form.getAttribute("data-dashboard-url") : form.getAttribute("data-orgs-url");
    if (!target) target = form.getAttribute("data-orgs-url");
    var timer = null, seq = 0, active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function show(items, note) {
      list.innerHTML = "";
      if (note) {
        var li = doc.createElement("li");
        li.className = "none";
        li.textContent = note;
        list.appendChild(li);
      }
      each(items, function (item, i) {
        var li = doc.createElement("li");
        var a = doc.createElement("a");
        a.href = target.replace(/\/0\//, "/" + item.id + "/");
        a.id = "scope-opt-" + i;
        a.setAttribute("role", "option");
        a.textContent = item.name;
        var path = doc.createElement("span");
        path.className = "path";
        path.textContent = item.path || item.parent_name || "";
        a.appendChild(path);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function search() {
      var q = input.value.trim();
      if (!q) { close(); return; }
      if (!url) { show([], text("unavailable")); return; }
      var mine = ++seq;
      show([], text("searching"));
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url + "?action=view&q=" + encodeURIComponent(q));
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        if (mine !== seq) return;
        var results = null;
        try { results = JSON.parse(xhr.responseText).results; } catch (e) { results = null; }
        if (xhr.status !== 200 || !results) { show([], text("unavailable")); return; }
        show(results, results.length ? "" : text("none"));
      };
      xhr.onerror = function () { if (mine === seq) show([], text("unavailable")); };
      xhr.send();
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 220); });
    input.addEventListener("keydown", function (e) {
      var options = list.querySelectorAll("a[role=option]");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        each(options, function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
        input.setAttribute("aria-activedescendant", options[active].id);
      } else if (e.key === "Enter" && active >= 0 && options[active]) {
        e.preventDefault();
        window.location.href = options[active].href;
      } else if (e.key === "Escape") {
        close();
      }
    });
    doc.addEventListener("click", function (e) { if (!form.contains(e.target)) close(); });
  }

  function sidebar() {
    var button = doc.querySelector(".sidebar-collapse");
    if (!button) return;
    var root = doc.documentElement;
    function sync() { button.setAttribute("aria-expanded", root.classList.contains("sidebar-collapsed") ? "false" : "true"); }
    button.addEventListener("click", function () {
      root.classList.toggle("sidebar-collapsed");
      try { localStorage.setItem("qj-sidebar", root.classList.contains("sidebar-collapsed") ? "collapsed" : "open"); } catch (e) { /* private mode */ }
      sync();
    });
    sync();
  }

  function crumbs() {
    var main = doc.getElementById("main");
    var mine = doc.querySelector("[data-default-crumbs]");
    if (!main || !mine) return;
    var others = main.querySelectorAll(".breadcrumbs");
    for (var i = 0; i < others.length; i++) {
      if (!others[i].hasAttribute("data-default-crumbs")) { mine.parentNode.removeChild(mine); return; }
    }
  }

  function start() {
    crumbs();
    sidebar();
    switcher();
    cardify();
    bulk();
    each(doc.querySelectorAll("#toasts .qj-toast"), arm);
    var body = doc.body;
    body.addEventListener("qj:toast", function (e) {
      var d = e.detail || {};
      if (d.value && typeof d.value === "object") d = d.value;
      if (typeof d === "string") d = { message: d };
      if (d.message) toast(d.message, d.level);
    });
    body.addEventListener("htmx:responseError", function (e) {
      var xhr = e.detail && e.detail.xhr;
      if (xhr && xhr.getResponseHeader("HX-Trigger")) return;  // the server sent its own toast
      toast(text("failed") + (xhr ? "（HTTP " + xhr.status + "）" : ""), "error");
    });
    body.addEventListener("htmx:sendError", function () { toast(text("offline"), "error"); });
    body.addEventListener("htmx:afterSettle", function (e) { cardify(e.target); bulk(e.target); each(updaters, function (u) { u(); }); });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", start);
  else start();
})();
