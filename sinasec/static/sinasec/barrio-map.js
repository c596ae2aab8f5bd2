// Draws a barrio's boundary (and its district's, when imported) on a Leaflet map.
// No tile layer: the system runs offline. data-loaded / data-polygons tell tests and
// screen readers that the polygon was drawn.
(function () {
  "use strict";
  var el = document.getElementById("barrio-map");
  var source = document.getElementById("barrio-boundary");
  if (!el || !source || !window.L) { return; }
  var barrio = JSON.parse(source.textContent);
  var districtSource = document.getElementById("district-boundary");
  var district = districtSource ? JSON.parse(districtSource.textContent) : null;
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
  if (district) {
    L.geoJSON(district, { style: { color: "#35506b", weight: 1, fillOpacity: 0.05, dashArray: "4 4" } }).addTo(map);
  }
  var layer = L.geoJSON(barrio, { style: { color: "#b3261e", weight: 2.5, fillOpacity: 0.2 } }).addTo(map);
  var polygons = 0;
  layer.eachLayer(function (lyr) {
    var parts = lyr.getLatLngs ? lyr.getLatLngs() : [];
    // A MultiPolygon is one layer with several parts; count the parts drawn.
    polygons += barrio.type === "MultiPolygon" ? parts.length : 1;
  });
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 }); }
  else { map.setView([-9.2, -75.0], 5); }
  el.dataset.polygons = String(polygons);
  el.dataset.bounds = bounds.isValid() ? bounds.toBBoxString() : "";
  el.dataset.loaded = "true";
}());
