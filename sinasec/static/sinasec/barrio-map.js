// Draws a barrio's boundary (and its district's, when imported) on a Leaflet map, and,
// for those who may edit it (data-draw="true"), lets them draw a new one by clicking its
// corners. No tile layer: the system runs offline. data-loaded / data-polygons tell
// tests and screen readers that the polygon was drawn.
(function () {
  "use strict";
  var el = document.getElementById("barrio-map");
  var source = document.getElementById("barrio-boundary");
  if (!el || !source || !window.L) { return; }
  var barrio = JSON.parse(source.textContent);
  var districtSource = document.getElementById("district-boundary");
  var district = districtSource ? JSON.parse(districtSource.textContent) : null;
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
  var districtLayer = null;
  if (district) {
    districtLayer = L.geoJSON(district, { style: { color: "#35506b", weight: 1, fillOpacity: 0.05, dashArray: "4 4" } }).addTo(map);
  }
  var polygons = 0;
  var bounds = null;
  if (barrio) {
    var layer = L.geoJSON(barrio, { style: { color: "#b3261e", weight: 2.5, fillOpacity: 0.2 } }).addTo(map);
    layer.eachLayer(function (lyr) {
      var parts = lyr.getLatLngs ? lyr.getLatLngs() : [];
      // A MultiPolygon is one layer with several parts; count the parts drawn.
      polygons += barrio.type === "MultiPolygon" ? parts.length : 1;
    });
    bounds = layer.getBounds();
  } else if (districtLayer) {
    bounds = districtLayer.getBounds();
  }
  if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 }); }
  else { map.setView([-9.2, -75.0], 5); }
  addLegend();
  el.dataset.polygons = String(polygons);
  el.dataset.bounds = bounds && bounds.isValid() ? bounds.toBBoxString() : "";
  el.dataset.loaded = "true";
  if (el.dataset.draw === "true") { enableDrawing(map); }

  // What the lines are (a Leaflet control): the barrio's boundary, the district's outline.
  function addLegend() {
    var legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      box.dataset.testid = "map-legend";
      function row(cls, colour, text) {
        var line = L.DomUtil.create("div", "", box);
        var key = L.DomUtil.create("span", cls, line);
        key.style.borderColor = colour;
        line.appendChild(document.createTextNode(text || ""));
      }
      if (barrio) { row("key line", "#b3261e", el.dataset.legendBarrio); }
      else { row("key line dashed", "#8a96a3", el.dataset.legendNone); }
      if (districtLayer) { row("key line dashed", "#35506b", el.dataset.legendDistrict); }
      return box;
    };
    legend.addTo(map);
  }

  function enableDrawing(map) {
    var start = document.getElementById("draw-start");
    var undo = document.getElementById("draw-undo");
    var save = document.getElementById("draw-save");
    var count = document.getElementById("draw-count");
    var output = document.getElementById("drawn-geojson");
    if (!start || !undo || !save || !output) { return; }
    var points = [];
    var shape = null;
    var drawing = false;
    function refresh() {
      if (shape) { map.removeLayer(shape); shape = null; }
      if (points.length >= 2) {
        shape = L.polygon(points, { color: "#1b6e3a", weight: 2, dashArray: "6 3", fillOpacity: 0.15 }).addTo(map);
      } else if (points.length === 1) {
        shape = L.circleMarker(points[0], { radius: 4, color: "#1b6e3a" }).addTo(map);
      }
      undo.disabled = points.length === 0;
      save.disabled = points.length < 3;
      count.dataset.points = String(points.length);
      count.textContent = points.length ? points.length + " ·" : "";
      var ring = points.map(function (p) { return [+p.lng.toFixed(7), +p.lat.toFixed(7)]; });
      if (ring.length >= 3) { ring.push(ring[0]); }
      output.value = ring.length >= 4 ? JSON.stringify({ type: "Polygon", coordinates: [ring] }) : "";
    }
    start.addEventListener("click", function () {
      drawing = true;
      points = [];
      map.doubleClickZoom.disable();  // quick corners must not zoom the map
      el.style.cursor = "crosshair";
      el.dataset.drawing = "true";
      refresh();
    });
    undo.addEventListener("click", function () { points.pop(); refresh(); });
    map.on("click", function (event) {
      if (!drawing) { return; }
      points.push(event.latlng);
      refresh();
    });
  }
}());
