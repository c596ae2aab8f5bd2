// Formats numbers in the browser with the marks the server uses for the page's language
// (data-decimal, data-thousands on this script's tag, from core's number_marks tags), so
// a chart's axis or a map's legend writes 12 345,5 where the page's tables do.
(function () {
  "use strict";
  if (window.sinasecNumbers) { return; }
  var marks = (document.currentScript && document.currentScript.dataset) || {};
  var decimal = marks.decimal || ".";
  var thousands = marks.thousands === undefined ? "," : marks.thousands;
  window.sinasecNumbers = {
    // A formatter with at most ``decimals`` decimals; null/undefined as a dash.
    formatter: function (decimals) {
      var nf = new Intl.NumberFormat("en", { maximumFractionDigits: decimals });
      return function (v) {
        if (v === null || v === undefined || v === "") { return "—"; }
        return nf.formatToParts(v).map(function (p) {
          if (p.type === "group") { return thousands; }
          if (p.type === "decimal") { return decimal; }
          return p.value;
        }).join("");
      };
    }
  };
}());
