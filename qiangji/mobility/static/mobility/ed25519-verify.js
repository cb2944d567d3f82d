/* Ed25519 signature verification (RFC 8032) and SHA-512 (FIPS 180-4) in plain JavaScript with BigInt.
 * Written for Qiangji's offline certificate page: no dependency, no network, works on plain http
 * (WebCrypto is only available in secure contexts). Verification only: nothing here is secret, so
 * variable-time arithmetic is acceptable. Cross-checked against Python `cryptography` in the tests.
 * Public API: QJEd25519.verify(publicKey32, message, signature64) -> boolean; QJEd25519.sha512(bytes).
 */
(function (global) {
  "use strict";
  var M64 = (1n << 64n) - 1n;

  function iroot(n, k) { // floor(n^(1/k)) by Newton's method
    var x = 1n << BigInt(Math.ceil(n.toString(2).length / k) + 1);
    for (;;) {
      var y = ((BigInt(k) - 1n) * x + n / (x ** BigInt(k - 1))) / BigInt(k);
      if (y >= x) return x;
      x = y;
    }
  }
  var PRIMES = [];
  for (var c = 2; PRIMES.length < 80; c++) {
    if (PRIMES.every(function (p) { return c % p !== 0; })) PRIMES.push(c);
  }
  // Round constants and initial hash: fractional bits of cube and square roots of the first primes.
  var K = PRIMES.map(function (p) { return iroot(BigInt(p) << 192n, 3) & M64; });
  var H0 = PRIMES.slice(0, 8).map(function (p) { return iroot(BigInt(p) << 128n, 2) & M64; });

  function rotr(x, n) { return ((x >> n) | (x << (64n - n))) & M64; }

  function sha512(bytes) {
    var len = bytes.length, padded = new Uint8Array(Math.ceil((len + 17) / 128) * 128);
    padded.set(bytes); padded[len] = 0x80;
    var bits = BigInt(len) * 8n;
    for (var i = 0; i < 16; i++) padded[padded.length - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
    var h = H0.slice(), w = new Array(80);
    for (var off = 0; off < padded.length; off += 128) {
      for (var t = 0; t < 16; t++) {
        var v = 0n;
        for (var b = 0; b < 8; b++) v = (v << 8n) | BigInt(padded[off + t * 8 + b]);
        w[t] = v;
      }
      for (t = 16; t < 80; t++) {
        var s0 = rotr(w[t - 15], 1n) ^ rotr(w[t - 15], 8n) ^ (w[t - 15] >> 7n);
        var s1 = rotr(w[t - 2], 19n) ^ rotr(w[t - 2], 61n) ^ (w[t - 2] >> 6n);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) & M64;
      }
      var a = h[0], bb = h[1], cc = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
      for (t = 0; t < 80; t++) {
        var S1 = rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n);
        var ch = (e & f) ^ (~e & M64 & g);
        var t1 = (hh + S1 + ch + K[t] + w[t]) & M64;
        var S0 = rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n);
        var maj = (a & bb) ^ (a & cc) ^ (bb & cc);
        var t2 = (S0 + maj) & M64;
        hh = g; g = f; f = e; e = (d + t1) & M64; d = cc; cc = bb; bb = a; a = (t1 + t2) & M64;
      }
      h = [a, bb, cc, d, e, f, g, hh].map(function (x, k) { return (h[k] + x) & M64; });
    }
    var out = new Uint8Array(64);
    h.forEach(function (x, k) { for (var j = 0; j < 8; j++) out[k * 8 + j] = Number((x >> BigInt(56 - 8 * j)) & 0xffn); });
    return out;
  }

  var P = (1n << 255n) - 19n;
  var L = (1n << 252n) + 27742317777372353535851937790883648493n;
  function mod(a, m) { m = m || P; var r = a % m; return r >= 0n ? r : r + m; }
  function pow(b, e) { var r = 1n; b = mod(b); while (e > 0n) { if (e & 1n) r = r * b % P; b = b * b % P; e >>= 1n; } return r; }
  function inv(a) { return pow(a, P - 2n); }
  var D = mod(-121665n * inv(121666n));
  var SQRT_M1 = pow(2n, (P - 1n) / 4n);
  var GX = 15112221349535400772501151409588531511454012693041857206046113283949847762202n;
  var GY = 46316835694926478169428394003475163141307993866256225615783033603165251855960n;
  var G = [GX, GY, 1n, mod(GX * GY)];
  var ZERO = [0n, 1n, 1n, 0n];

  function add(p, q) { // extended coordinates, a = -1 (complete formula, also doubles)
    var A = mod((p[1] - p[0]) * (q[1] - q[0])), B = mod((p[1] + p[0]) * (q[1] + q[0]));
    var C = mod(p[3] * 2n * D * q[3]), DD = mod(p[2] * 2n * q[2]);
    var E = B - A, F = DD - C, GG = DD + C, H = B + A;
    return [mod(E * F), mod(GG * H), mod(F * GG), mod(E * H)];
  }
  function mul(p, n) {
    var r = ZERO;
    while (n > 0n) { if (n & 1n) r = add(r, p); p = add(p, p); n >>= 1n; }
    return r;
  }
  function le(bytes) { var n = 0n; for (var i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]); return n; }
  function encode(p) {
    var zi = inv(p[2]), x = mod(p[0] * zi), y = mod(p[1] * zi), out = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { out[i] = Number(y & 0xffn); y >>= 8n; }
    if (x & 1n) out[31] |= 0x80;
    return out;
  }
  function decode(bytes) {
    var copy = Uint8Array.from(bytes), sign = copy[31] >> 7;
    copy[31] &= 0x7f;
    var y = le(copy);
    if (y >= P) return null;
    var y2 = mod(y * y), u = mod(y2 - 1n), v = mod(D * y2 + 1n);
    var v3 = mod(v * v * v), x = mod(u * v3 * pow(u * v3 * v3 * v, (P - 5n) / 8n));
    var vx2 = mod(v * x * x);
    if (vx2 !== u) { if (vx2 === mod(-u)) x = mod(x * SQRT_M1); else return null; }
    if (x === 0n && sign) return null;
    if (Number(x & 1n) !== sign) x = P - x;
    return [x, y, 1n, mod(x * y)];
  }
  function concat(parts) {
    var n = parts.reduce(function (s, p) { return s + p.length; }, 0), out = new Uint8Array(n), o = 0;
    parts.forEach(function (p) { out.set(p, o); o += p.length; });
    return out;
  }

  function verify(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    var A = decode(publicKey);
    if (!A) return false;
    var Rb = signature.subarray(0, 32), S = le(signature.subarray(32));
    if (S >= L) return false;
    var h = mod(le(sha512(concat([Rb, publicKey, message]))), L);
    var hA = mul(A, h), negHA = [mod(-hA[0]), hA[1], hA[2], mod(-hA[3])];
    var R = encode(add(mul(G, S), negHA)); // R' = [S]B - [h]A must encode to R (as OpenSSL checks)
    for (var i = 0; i < 32; i++) if (R[i] !== Rb[i]) return false;
    return true;
  }

  global.QJEd25519 = { verify: verify, sha512: sha512 };
})(typeof window !== "undefined" ? window : globalThis);
