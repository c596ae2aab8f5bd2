// Leaflet's zoom buttons say "Zoom in"/"Zoom out" in English: every map of the page
// takes the titles the server translated (this script tag's data-zoom-in/-out).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.L) { return; }
  var zoom = L.Control.Zoom.prototype.options;
  zoom.zoomInTitle = script.dataset.zoomIn || zoom.zoomInTitle;
  zoom.zoomOutTitle = script.dataset.zoomOut || zoom.zoomOutTitle;
})();
