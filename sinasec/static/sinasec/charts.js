// Draws every chart of the page (figure[data-chart], rendered by core/_chart.html) with
// Apache ECharts from its JSON (core.charts.Chart.spec): axes with their units, a legend,
// tooltips, a launch line, a confidence band; and offers the PNG and the CSV of what it
// shows. Numbers come as JSON and are formatted here for the page's language
// (numbers.js: the server's own decimal and thousands marks), never by the template. Under the strict CSP: no inline style in
// markup (the tooltip is drawn on the canvas: renderMode "richText").
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "es").toLowerCase();
  var es = lang.indexOf("es") === 0;

  // Counts and percentages start at zero; a difference (a gap, an effect) may go below it,
  // and then ECharts picks the lower bound itself.
  function hasNegative(spec) {
    return spec.series.some(function (s) {
      return s.values.concat(s.low || []).some(function (v) { return v !== null && v < 0; });
    });
  }

  function formatter(decimals) { return window.sinasecNumbers.formatter(decimals); }

  // Formula-like text (= + - @ tab CR) gets a leading quote, as core/exports.py does.
  function csvCell(v) {
    if (v === null || v === undefined) { return ""; }
    if (typeof v === "number") { return String(v); }
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s) || s.charAt(0) === "'") { s = "'" + s; }
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csvText(spec) {
    return [spec.columns].concat(spec.rows)
      .map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function download(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function seriesOptions(spec) {
    var out = [];
    spec.series.forEach(function (s, n) {
      if (s.low && s.high) {
        // The band: the lower bound (invisible) and the width above it, stacked.
        out.push({ name: s.name, type: "line", stack: s.key + "-band", data: s.low, lineStyle: { opacity: 0 },
                   symbol: "none", silent: true, legendHoverLink: false, tooltip: { show: false }, color: s.colour });
        out.push({ name: s.name, type: "line", stack: s.key + "-band", symbol: "none", silent: true,
                   data: s.high.map(function (h, i) { return h === null || s.low[i] === null ? null : h - s.low[i]; }),
                   lineStyle: { opacity: 0 }, areaStyle: { color: s.colour, opacity: 0.15 }, color: s.colour });
      }
      var item = { name: s.name, type: s.kind === "bar" ? "bar" : "line", data: s.values, color: s.colour,
                   connectNulls: false, symbolSize: 6, showSymbol: spec.categories.length <= 24 };
      if (spec.marker && n === 0) {
        item.markLine = { symbol: "none", silent: true, lineStyle: { color: "#444", type: "dashed" },
                          label: { formatter: spec.marker.label, position: "insideEndTop" },
                          data: [{ xAxis: spec.marker.index }] };
      }
      out.push(item);
    });
    return out;
  }

  // The tooltip lists the hovered category's row of the table (same values as the CSV).
  function tooltip(spec, fmt) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      if (!list.length) { return ""; }
      var row = spec.rows[list[0].dataIndex];
      var lines = [row[0]];
      for (var i = 1; i < row.length; i += 1) {
        lines.push(spec.columns[i] + ": " + fmt(row[i]) + (spec.unit && row[i] !== null ? " " + spec.unit : ""));
      }
      return lines.join("\n");
    };
  }

  // name: the chart's accessible name written by the server (title, measure and unit, in
  // the page's language); ECharts would replace it with its own generic description,
  // which reads the raw numbers with a decimal point. The figures are in the table below.
  function option(spec, name) {
    var fmt = formatter(spec.decimals);
    var axisFmt = formatter(2);
    return {
      animation: false,
      aria: name ? { enabled: true, label: { description: name } } : { enabled: true },
      grid: { left: 56, right: 24, top: 48, bottom: 56, containLabel: true },
      legend: { top: 0, type: "scroll", data: spec.series.map(function (s) { return s.name; }) },
      tooltip: { trigger: "axis", renderMode: "richText", formatter: tooltip(spec, fmt) },
      xAxis: { type: "category", data: spec.categories, name: spec.x_label, nameLocation: "middle", nameGap: 32,
               axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", min: hasNegative(spec) ? undefined : 0, max: spec.y_max === null ? undefined : spec.y_max,
               name: spec.y_label + (spec.unit ? " (" + spec.unit + ")" : ""), nameLocation: "end",
               nameTextStyle: { align: "left" },
               axisLabel: { formatter: axisFmt } },
      series: seriesOptions(spec)
    };
  }

  function draw(figure) {
    var source = document.getElementById(figure.dataset.chart);
    var box = figure.querySelector(".chart-canvas");
    if (!source || !box || !window.echarts || !window.sinasecNumbers) { return; }
    var spec = JSON.parse(source.textContent);
    var old = window.echarts.getInstanceByDom(box);
    if (old) { old.dispose(); }
    var chart = window.echarts.init(box, null, { renderer: "canvas", locale: es ? "ES" : "EN" });
    chart.setOption(option(spec, box.getAttribute("aria-label")));
    figure.dataset.rendered = "true";
    var png = figure.querySelector("[data-chart-png]");
    var csv = figure.querySelector("[data-chart-csv]");
    if (png) {
      png.addEventListener("click", function () {
        download(chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" }), spec.file_name + ".png");
      });
    }
    if (csv) {
      csv.addEventListener("click", function () {
        var blob = new Blob(["\ufeff" + csvText(spec)], { type: "text/csv;charset=utf-8" });
        var url = URL.createObjectURL(blob);
        download(url, spec.file_name + ".csv");
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      });
    }
  }

  function drawAll(root) {
    var figures = (root || document).querySelectorAll("figure[data-chart]");
    for (var i = 0; i < figures.length; i += 1) {
      if (figures[i].dataset.rendered !== "true") { draw(figures[i]); }
    }
  }

  drawAll(document);
  // The observatory swaps its panel with htmx: draw the charts that came with it.
  document.body.addEventListener("htmx:afterSettle", function () { drawAll(document); });
  window.addEventListener("resize", function () {
    var boxes = document.querySelectorAll("figure[data-chart] .chart-canvas");
    for (var i = 0; i < boxes.length; i += 1) {
      var c = window.echarts && window.echarts.getInstanceByDom(boxes[i]);
      if (c) { c.resize(); }
    }
  });
}());
