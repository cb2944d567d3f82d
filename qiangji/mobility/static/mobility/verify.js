/* Offline check of an activity certificate token: the signature with the embedded public key
 * (QJEd25519, no network), validity against the device date; then, only if online, revocation. */
(function () {
  "use strict";
  var keys = JSON.parse(document.getElementById("qj-keys").textContent);
  var $ = function (id) { return document.getElementById(id); };

  function b64urlBytes(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function b64url(bytes) {
    var bin = ""; for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function ascii(text) { var out = new Uint8Array(text.length); for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0x7f; return out; }

  function check(raw) {
    var token = (raw || "").trim();
    if (token.indexOf("#") >= 0) token = token.slice(token.lastIndexOf("#") + 1);
    var parts = token.split(".");
    if (parts.length !== 3 || parts[0] !== "QJC1" || /[^A-Za-z0-9_-]/.test(parts[1] + parts[2])) {
      return { ok: false, message: "不是有效的活动证凭证（格式不正确）" };
    }
    var signed = ascii(parts[0] + "." + parts[1]), sig, body;
    try { sig = b64urlBytes(parts[2]); body = b64urlBytes(parts[1]); } catch (e) { return { ok: false, message: "不是有效的活动证凭证（编码不正确）" }; }
    // Non-canonical base64 (spare bits set) would let a changed character verify: refuse it.
    if (b64url(sig) !== parts[2] || b64url(body) !== parts[1]) return { ok: false, message: "签名无效：凭证被伪造或被改动，请勿认可" };
    var good = Object.keys(keys).some(function (kid) { return QJEd25519.verify(b64urlBytes(keys[kid]), signed, sig); });
    if (!good) return { ok: false, message: "签名无效：凭证被伪造或被改动，请勿认可" };
    try { return { ok: true, payload: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) }; }
    catch (e) { return { ok: false, message: "签名无效：凭证内容无法读取" }; }
  }

  function today() { var d = new Date(); return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0"); }

  function show(result) {
    $("result").hidden = false;
    var status = $("result-status");
    ["r-name", "r-org", "r-number", "r-valid", "r-revocation"].forEach(function (id) { $(id).textContent = ""; });
    $("r-novote").hidden = true;
    if (!result.ok) { status.className = "danger"; status.textContent = "✗ " + result.message; return; }
    var p = result.payload, expired = today() > p.exp || today() < p.iss;
    status.className = expired ? "danger" : "badge ok";
    status.textContent = expired ? "✗ 签名有效，但不在有效期内" : "✓ 签名有效（离线核验）";
    $("r-name").textContent = p.nm; $("r-org").textContent = p.org + (p["in"] ? "（流入：" + p["in"] + "）" : "");
    $("r-number").textContent = p.n; $("r-valid").textContent = p.iss + " 至 " + p.exp;
    $("r-novote").hidden = !p.nv;
    revocation(p.n);
  }

  function revocation(number) {
    var line = $("r-revocation");
    if (!navigator.onLine || !window.fetch) { line.textContent = "离线：未能查询是否已注销，联网后请再核验一次"; return; }
    line.textContent = "正在查询注销状态…";
    var controller = window.AbortController ? new AbortController() : null;
    setTimeout(function () { if (controller) controller.abort(); }, 4000);
    fetch("/api/v1/mobility/certificates/" + encodeURIComponent(number) + "/status/", { signal: controller && controller.signal, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (s.status === "active") { line.className = "small"; line.textContent = "联网查询：未注销"; }
        else { line.className = "danger"; line.textContent = "联网查询：" + (s.status === "revoked" ? "已注销（" + s.reason_label + "），请勿认可" : "平台无此编号，请勿认可"); }
      })
      .catch(function () { line.textContent = "未能连接平台，未查询注销状态"; });
  }

  function run() { show(check($("token").value)); }
  document.getElementById("verify-form").addEventListener("submit", function (e) { e.preventDefault(); run(); });
  function fromHash() { if (location.hash.length > 1) { $("token").value = location.hash.slice(1); run(); } }
  window.addEventListener("hashchange", fromHash); // a scan opening the page again needs no reload
  fromHash();

  if ("BarcodeDetector" in window && navigator.mediaDevices) { // camera scan where the phone offers it
    var button = $("scan-button"); button.hidden = false;
    button.addEventListener("click", function () {
      var video = $("scan-video"), detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; $("token").value = codes[0].rawValue; run(); }
            else requestAnimationFrame(tick);
          }).catch(function () { requestAnimationFrame(tick); });
        };
        tick();
      });
    });
  }
  window.QJVerify = { check: check };
})();
