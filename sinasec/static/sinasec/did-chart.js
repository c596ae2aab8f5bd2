// The event-study chart of the staggered DiD pages: estimates by event time with their
// simultaneous bands, the pre-treatment periods shaded, a zero line. The data come from
// the page's json_script "did-chart-data" ({events: [{e, att, low, high}], labels}).
// Plain SVG, no inline styles (strict CSP); small on purpose, so it can move onto the
// shared chart include later.
(function () {
  "use strict";
  var source = document.getElementById("did-chart-data");
  var target = document.getElementById("did-chart");
  if (!source || !target) return;
  var data = JSON.parse(source.textContent);
  var events = data.events.filter(function (d) { return d.att !== null; });
  if (!events.length) return;
  var NS = "http://www.w3.org/2000/svg";
  var W = 640, H = 260, L = 62, R = 12, T = 12, B = 36;
  // The page's decimal mark (numbers.js, loaded before this script): "-0,26" in es-PE.
  var number = window.sinasecNumbers ? window.sinasecNumbers.formatter(2)
    : function (v) { return v.toFixed(2); };
  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (parent || svg).appendChild(node);
    return node;
  }
  var values = [0];
  events.forEach(function (d) {
    values.push(d.att);
    if (d.low !== null) values.push(d.low);
    if (d.high !== null) values.push(d.high);
  });
  var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
  if (hi === lo) { hi += 1; lo -= 1; }
  var pad = (hi - lo) * 0.05; lo -= pad; hi += pad;
  var first = events[0].e, last = events[events.length - 1].e;
  var span = Math.max(last - first, 1);
  function x(e) { return L + (e - first + 0.5) / (span + 1) * (W - L - R); }
  function y(v) { return T + (hi - v) / (hi - lo) * (H - T - B); }
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("width", "100%");
  svg.setAttribute("data-testid", "event-chart-svg");
  target.appendChild(svg);
  el("rect", {x: L, y: T, width: W - L - R, height: H - T - B, fill: "#fff", stroke: "#d8dee6"});
  if (first < 0) {
    var end = x(-0.5);
    el("rect", {x: L, y: T, width: end - L, height: H - T - B, fill: "#eef1f5",
                "data-testid": "pre-period"});
    var pre = el("text", {x: L + 4, y: T + 14, "font-size": 11, fill: "#555"});
    pre.textContent = data.labels.pre;
  }
  el("line", {x1: L, x2: W - R, y1: y(0), y2: y(0), stroke: "#444", "stroke-dasharray": "4 3"});
  // The ends and zero (the line the effects are read against), unless zero would
  // overlap an end's label.
  var ticks = [lo, hi];
  if (Math.min(-lo, hi) > (hi - lo) * 0.08) { ticks.push(0); }
  ticks.forEach(function (v) {
    var t = el("text", {x: L - 4, y: y(v) + 4, "font-size": 11, "text-anchor": "end", fill: "#555"});
    t.textContent = number(v);
  });
  var step = Math.max(1, Math.ceil(span / 16));
  events.forEach(function (d) {
    var colour = d.e < 0 ? "#8a96a3" : "#0b5394";
    if (d.low !== null && d.high !== null) {
      el("line", {x1: x(d.e), x2: x(d.e), y1: y(d.low), y2: y(d.high), stroke: colour,
                  "stroke-width": 2, "data-band": d.e});
    }
    el("circle", {cx: x(d.e), cy: y(d.att), r: 3.5, fill: colour, "data-e": d.e});
    if ((d.e - first) % step === 0) {
      var t = el("text", {x: x(d.e), y: H - B + 14, "font-size": 11, "text-anchor": "middle", fill: "#555"});
      t.textContent = d.e;
    }
  });
  var label = el("text", {x: (L + W - R) / 2, y: H - 4, "font-size": 12, "text-anchor": "middle", fill: "#333"});
  label.textContent = data.labels.x;
  var middle = (T + H - B) / 2;
  var yLabel = el("text", {x: 14, y: middle, "font-size": 12, "text-anchor": "middle", fill: "#333",
                           transform: "rotate(-90 14 " + middle + ")", "data-testid": "did-y-label"});
  yLabel.textContent = data.labels.y;
})();
