/* Search-as-you-type pickers (core/widgets.py): type a name, part of it, pinyin or initials; pick from the
   list (mouse or arrow keys + Enter), or open the tree and expand levels lazily. No dependencies. */
(function () {
  "use strict";
  if (window.qjPicker) return;
  window.qjPicker = true;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  function setup(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var text = box.querySelector("[data-picker-text]");
    var hidden = box.querySelector("[data-picker-value]");
    var list = box.querySelector("[data-picker-results]");
    var empty = box.querySelector("[data-picker-empty]");
    var timer = null, seq = 0, rows = [], active = -1;

    function show(found) {
      rows = found;
      active = -1;
      list.innerHTML = "";
      found.forEach(function (row, index) {
        var item = el("li", "picker-option");
        item.setAttribute("role", "option");
        item.id = list.id + "_" + index;
        item.dataset.id = row.id;
        item.appendChild(el("span", "picker-name", row.name));
        var where = [row.kind, row.parent_name || row.org_name].filter(Boolean).join(" · ");
        if (where) item.appendChild(el("small", "picker-where muted", where));
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(row);
        });
        list.appendChild(item);
      });
      list.hidden = !found.length;
      text.setAttribute("aria-expanded", found.length ? "true" : "false");
    }

    function pick(row) {
      hidden.value = row.id;
      text.value = row.name;
      show([]);
      empty.hidden = true;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      box.dispatchEvent(new CustomEvent("qj-picked", { detail: row, bubbles: true }));
    }

    function search() {
      var q = text.value.trim();
      if (!q) { show([]); empty.hidden = true; return; }
      var mine = ++seq;
      var url = new URL(box.dataset.searchUrl, window.location.href);
      url.searchParams.set("q", q);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          if (mine !== seq) return;
          show(data.results || []);
          empty.hidden = !!(data.results || []).length;
        })
        .catch(function () { if (mine === seq) show([]); });
    }

    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (items[index]) text.setAttribute("aria-activedescendant", items[index].id);
    }

    text.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 180);
    });
    text.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, rows.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(rows[active]); }
      else if (event.key === "Escape") { show([]); }
    });
    text.addEventListener("blur", function () { setTimeout(function () { show([]); }, 150); });

    var toggle = box.querySelector("[data-picker-tree-toggle]");
    var tree = box.querySelector("[data-picker-tree]");
    if (!toggle || !tree) return;

    function level(parentId, into) {
      var url = new URL(box.dataset.treeUrl, window.location.href);
      if (parentId) url.searchParams.set("parent", parentId);
      into.appendChild(el("p", "muted picker-loading", "…"));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          into.innerHTML = "";
          var ul = el("ul", "picker-tree-level");
          ul.setAttribute("role", parentId ? "group" : "tree");
          (data.results || []).forEach(function (row) {
            var li = el("li", "picker-tree-node");
            li.setAttribute("role", "treeitem");
            var children = el("div", "picker-tree-children");
            children.hidden = true;
            if (row.has_children) {
              var open = el("button", "picker-tree-open", "▸");
              open.type = "button";
              open.setAttribute("aria-expanded", "false");
              open.setAttribute("aria-label", row.name);
              open.addEventListener("click", function () {
                var opening = children.hidden;
                children.hidden = !opening;
                open.textContent = opening ? "▾" : "▸";
                open.setAttribute("aria-expanded", opening ? "true" : "false");
                if (opening && !children.dataset.loaded) { children.dataset.loaded = "1"; level(row.id, children); }
              });
              li.appendChild(open);
            }
            var name = el(row.selectable ? "button" : "span", row.selectable ? "picker-tree-pick" : "picker-tree-name muted", row.name);
            if (row.selectable) {
              name.type = "button";
              name.addEventListener("click", function () { pick(row); tree.hidden = true; toggle.setAttribute("aria-expanded", "false"); });
            }
            li.appendChild(name);
            li.appendChild(children);
            ul.appendChild(li);
          });
          into.appendChild(ul);
        });
    }

    toggle.addEventListener("click", function () {
      var opening = tree.hidden;
      tree.hidden = !opening;
      toggle.setAttribute("aria-expanded", opening ? "true" : "false");
      if (opening && !tree.dataset.loaded) { tree.dataset.loaded = "1"; level("", tree); }
    });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-qj-picker]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(document); });
  else init(document);
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
