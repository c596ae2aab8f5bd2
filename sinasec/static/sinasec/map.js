// Draws the territories of a page on a Leaflet map: polygons when boundaries were
// imported, capital points otherwise. No tile layer: the system runs offline.
(function () {
  "use strict";
  var current = null;
  // Translated words of the legend, on this script's own tag (territories/_scripts.html).
  var words = (document.currentScript && document.currentScript.dataset) || {};
  // Leaflet puts a string tooltip or popup in with innerHTML: names come from uploaded
  // files, so every label is handed over as an element holding plain text.
  function asText(text) {
    var span = document.createElement("span");
    span.textContent = String(text);
    return span;
  }
  function draw() {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  if (current) { current.remove(); current = null; }
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
  current = map;
  var focus = el.dataset.focus;
  var note = document.getElementById("map-note");
  var lang = document.documentElement.lang || "es";
  var es = lang.indexOf("es") === 0;
  // Optional choropleth: {ubigeo: percentage}; grey where the value is unknown.
  var values = el.dataset.values ? JSON.parse(el.dataset.values) : null;
  // "quantile": four classes by the values' own quartiles (counts, rates); otherwise
  // percentages against fixed thresholds (compliance).
  var breaks = null;
  if (values && el.dataset.scale === "quantile") {
    var sorted = Object.keys(values).map(function (k) { return values[k]; })
      .filter(function (v) { return v !== null && v !== undefined; }).sort(function (a, b) { return a - b; });
    breaks = [0.25, 0.5, 0.75].map(function (q) { return sorted.length ? sorted[Math.floor(q * (sorted.length - 1))] : 0; });
  }
  function shade(value) {
    if (value === null || value === undefined) { return "#bfc5cc"; }
    if (breaks) {
      if (value > breaks[2]) { return "#8e1b12"; }
      if (value > breaks[1]) { return "#d0503f"; }
      if (value > breaks[0]) { return "#f0a07a"; }
      return "#fbe3d3";
    }
    if (value >= 90) { return "#1e7b34"; }
    if (value >= 60) { return "#7fb24a"; }
    if (value >= 30) { return "#f0b429"; }
    return "#c0392b";
  }
  // Numbers with the page's own decimal and thousands marks (numbers.js).
  var number = window.sinasecNumbers ? window.sinasecNumbers.formatter(2) : String;
  // The classes as drawn: [colour, text], from the darkest down, then "no data".
  function classes() {
    if (breaks) {
      var b = breaks.map(number);
      // Few values make equal quartiles ("2 713 – 2 713"): such a class holds no
      // territory, so it is left out of the legend.
      var rows = [["#8e1b12", "> " + b[2]]];
      if (breaks[2] > breaks[1]) { rows.push(["#d0503f", b[1] + " – " + b[2]]); }
      if (breaks[1] > breaks[0]) { rows.push(["#f0a07a", b[0] + " – " + b[1]]); }
      return rows.concat([["#fbe3d3", "≤ " + b[0]]]);
    }
    return [["#1e7b34", "≥ 90 %"], ["#7fb24a", "60 – 90 %"], ["#f0b429", "30 – 60 %"], ["#c0392b", "< 30 %"]];
  }
  // The legend as a Leaflet control: title with the unit, the class breaks, and how many
  // territories drawn have no value (grey), so that grey is never read as zero.
  function addLegend(map, withoutData) {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.dataset.testid = "map-legend";
      var title = L.DomUtil.create("span", "title", box);
      title.textContent = el.dataset.legend || "";
      classes().concat([["#bfc5cc", (words.withoutData || "") + ": " + withoutData]]).forEach(function (c, i, all) {
        var row = L.DomUtil.create("div", i === all.length - 1 ? "no-data" : "class", box);
        var key = L.DomUtil.create("span", "key", row);
        key.style.background = c[0];
        row.appendChild(document.createTextNode(c[1]));
      });
      box.dataset.withoutData = String(withoutData);
      return box;
    };
    legend.addTo(map);
  }
  fetch(el.dataset.geojson, { headers: { "Accept": "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var polygons = 0, points = 0, withoutData = 0;
      var layer = L.geoJSON(data, {
        style: function (feature) {
          if (values) {
            return { color: "#35506b", weight: 1, fillColor: shade(values[feature.id]), fillOpacity: 0.75 };
          }
          var own = feature.id === focus;
          return { color: own ? "#b3261e" : "#35506b", weight: own ? 2.5 : 1, fillOpacity: own ? 0.08 : 0.25 };
        },
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: feature.id === focus ? 7 : 5, color: "#35506b", fillOpacity: 0.7 });
        },
        onEachFeature: function (feature, lyr) {
          if (feature.geometry.type === "Point") { points += 1; } else { polygons += 1; }
          if (values && (values[feature.id] === null || values[feature.id] === undefined)) { withoutData += 1; }
          var label = feature.properties.name + " (" + feature.properties.ubigeo + ")";
          if (values) {
            var v = values[feature.id];
            label += ": " + (v === null || v === undefined ? (words.noData || "—") : number(v) + (breaks ? "" : " %"));
          }
          lyr.bindTooltip(asText(label));
          if (feature.id !== focus && !values) {
            lyr.on("click", function () { window.location.href = "/territorios/" + encodeURIComponent(feature.properties.ubigeo) + "/"; });
          }
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 12 }); }
      else { map.setView([-9.2, -75.0], 5); }
      if (values) { addLegend(map, withoutData); }
      el.dataset.polygons = String(polygons);
      el.dataset.points = String(points);
      el.dataset.loaded = "true";
      if (note) {
        var parts = [];
        if (polygons) { parts.push(polygons + (es ? " polígonos" : " polygons")); }
        if (points) { parts.push(points + (es ? " capitales (sin polígono importado)" : " capitals (no polygon imported)")); }
        if (data.missing) { parts.push(data.missing + (es ? " sin ubicación conocida" : " with unknown location")); }
        if (values) { parts.push((words.withoutData || "") + ": " + withoutData); }
        note.textContent = parts.join(" · ");
      }
    })
    .catch(function () { if (note) { note.textContent = es ? "No se pudo cargar el mapa." : "The map could not be loaded."; } });
  }
  draw();
  // Pages that swap their panel with htmx redraw the map that came with it.
  document.body.addEventListener("htmx:afterSettle", draw);
}());
