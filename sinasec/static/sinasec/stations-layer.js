// Police stations (comisarías) as a layer on any Leaflet map whose element carries
// data-stations (the URL of their GeoJSON): complaints are often placed on a station's
// point, so the analyst sees where forced placements would stack. A Leaflet init hook,
// so map.js is left as it is.
(function () {
  "use strict";
  if (!window.L) { return; }
  L.Map.addInitHook(function () {
    var map = this;
    var url = map.getContainer().dataset.stations;
    if (!url) { return; }
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 5, color: "#1d3557", weight: 2, fillOpacity: 0.8 });
          },
          onEachFeature: function (feature, lyr) {
            var span = document.createElement("span");
            span.textContent = feature.properties.name + " (" + feature.properties.code + ")";
            lyr.bindTooltip(span);
          }
        }).addTo(map);
        map.getContainer().dataset.stationsLoaded = String(data.features.length);
        return layer;
      })
      .catch(function () { map.getContainer().dataset.stationsLoaded = "error"; });
  });
}());
