/*
 * How a chart marks its series and statuses: fill patterns for bars, markers,
 * the colours and cues of each red, amber and green status, and the key drawn
 * under a chart. Used by static/js/charts.js, which is loaded after it; this
 * file only defines window.AppChartMarks and draws nothing by itself.
 *
 * A status has the colours the status tags and the risk heat map use
 * (static/scss/_status.scss sets them as CSS custom properties, read here) and
 * a second cue that does not depend on colour: a marker shape on a line (circle
 * green, triangle amber, diamond red, square grey) and a fill pattern on a bar
 * (plain green, diagonal lines amber, cross-hatching red, dots grey), each with
 * a dark outline of at least 3:1 against white.
 */
(function () {
  "use strict";

  // Each status: its colours (fallbacks: the CSS custom properties win), its
  // marker on a line, its fill pattern on a bar and its words in the key. The
  // fill is the GOV.UK colour the tags and heat maps use; the outline is its
  // 50% shade (8.4 to 12.3 to 1 against white), so every marker and bar has an
  // edge of at least 3:1 whatever its fill.
  // `size`: the marker's radius, larger for shapes that fill less of their
  // circle, so every marker looks about as big.
  var STATUSES = {
    green: { fill: "#0f7a52", line: "#083d29", shape: "circle", size: 6, pattern: "solid", word: "Green", key: "Green: on target" },
    amber: { fill: "#f47738", line: "#7a3c1c", shape: "triangle", size: 8, pattern: "diagonal", word: "Amber", key: "Amber: close to target" },
    red: { fill: "#ca3535", line: "#651b1b", shape: "rectRot", size: 8, pattern: "cross", word: "Red", key: "Red: off target" },
    grey: { fill: "#cecece", line: "#484949", shape: "rect", size: 6, pattern: "dots", word: "Monitoring only", key: "Monitoring only: no target" },
    no_result: { fill: "#ffffff", line: "#484949", shape: "crossRot", size: 7, pattern: "solid", word: "No result", key: "No result yet" }
  };
  var STATUS_ORDER = ["green", "amber", "red", "grey", "no_result"];

  function statusOf(cell) {
    var status = cell ? (cell.getAttribute("data-status") || "").toLowerCase() : "";
    return STATUSES.hasOwnProperty(status) ? status : null;
  }

  // The colours the stylesheet gives each status, so the charts match the tags.
  function readStatusColours() {
    var style = window.getComputedStyle ? window.getComputedStyle(document.documentElement) : null;
    if (!style) {
      return;
    }
    STATUS_ORDER.forEach(function (name) {
      ["fill", "line"].forEach(function (part) {
        var value = style.getPropertyValue("--app-status-" + name + "-" + part).trim();
        if (value) {
          STATUSES[name][part] = value;
        }
      });
    });
  }

  // Fill pattern for bars: marks in `colour` on `ground` (white unless given),
  // drawn on a small tile.
  function pattern(kind, colour, ground) {
    if (kind === "solid") {
      return ground || colour;
    }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    if (!ctx) {
      return ground || colour;
    }
    ctx.fillStyle = ground || "#ffffff";
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.beginPath();
    switch (kind) {
      case "diagonal":
        ctx.moveTo(0, size);
        ctx.lineTo(size, 0);
        ctx.moveTo(-2, 2);
        ctx.lineTo(2, -2);
        ctx.moveTo(size - 2, size + 2);
        ctx.lineTo(size + 2, size - 2);
        break;
      case "diagonal-reverse":
        ctx.moveTo(0, 0);
        ctx.lineTo(size, size);
        ctx.moveTo(size - 2, -2);
        ctx.lineTo(size + 2, 2);
        ctx.moveTo(-2, size - 2);
        ctx.lineTo(2, size + 2);
        break;
      case "dots":
        ctx.arc(size / 2, size / 2, 2.5, 0, Math.PI * 2);
        ctx.fill();
        break;
      case "cross":
        ctx.moveTo(0, 0);
        ctx.lineTo(size, size);
        ctx.moveTo(size, 0);
        ctx.lineTo(0, size);
        break;
      case "horizontal":
        ctx.moveTo(0, size / 2);
        ctx.lineTo(size, size / 2);
        break;
      case "vertical":
        ctx.moveTo(size / 2, 0);
        ctx.lineTo(size / 2, size);
        break;
      default: // grid
        ctx.moveTo(0, size / 2);
        ctx.lineTo(size, size / 2);
        ctx.moveTo(size / 2, 0);
        ctx.lineTo(size / 2, size);
    }
    ctx.stroke();
    return ctx.createPattern(tile, "repeat") || ground || colour;
  }

  function statusFill(status) {
    var s = STATUSES[status];
    return pattern(s.pattern, s.line, s.fill);
  }

  function drawMarker(ctx, shape, radius, x, y) {
    var helpers = window.Chart && window.Chart.helpers;
    if (helpers && typeof helpers.drawPoint === "function") {
      helpers.drawPoint(ctx, { pointStyle: shape, radius: radius, rotation: 0, borderWidth: ctx.lineWidth }, x, y);
      return;
    }
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }

  // A small picture for the key: a line (with its dash, or a status marker) or
  // a bar (with its fill pattern). Hidden from screen readers: the words beside
  // it say what it is.
  function swatch(draw) {
    var width = 36;
    var height = 20;
    var ratio = window.devicePixelRatio || 1;
    var canvas = document.createElement("canvas");
    canvas.className = "app-chart-key__swatch";
    canvas.setAttribute("aria-hidden", "true");
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    var ctx = canvas.getContext("2d");
    if (ctx) {
      ctx.scale(ratio, ratio);
      draw(ctx, width, height);
    }
    return canvas;
  }

  function keyItem(label, draw) {
    var item = document.createElement("li");
    item.className = "app-chart-key__item";
    item.appendChild(swatch(draw));
    item.appendChild(document.createTextNode(label));
    return item;
  }

  function buildKey(type, datasets, statusLabels) {
    var list = document.createElement("ul");
    list.className = "app-chart-key";
    list.setAttribute("aria-label", "Key to the chart");
    datasets.forEach(function (d) {
      if (type === "bar" && d.statusColoured) {
        return; // its bars are keyed by status below
      }
      list.appendChild(
        keyItem(d.label, function (ctx, w, h) {
          if (type === "line") {
            ctx.strokeStyle = d.borderColor;
            ctx.lineWidth = 3;
            ctx.setLineDash(d.borderDash || []);
            ctx.beginPath();
            ctx.moveTo(1, h / 2);
            ctx.lineTo(w - 1, h / 2);
            ctx.stroke();
            if (!d.statusColoured && d.pointRadius) {
              ctx.setLineDash([]);
              ctx.fillStyle = d.pointBackgroundColor;
              ctx.lineWidth = 1;
              drawMarker(ctx, d.pointStyle, 5, w / 2, h / 2);
            }
          } else {
            ctx.fillStyle = d.backgroundColor;
            ctx.strokeStyle = d.borderColor;
            ctx.lineWidth = 2;
            ctx.fillRect(8, 2, w - 16, h - 4);
            ctx.strokeRect(8, 2, w - 16, h - 4);
          }
        })
      );
    });
    STATUS_ORDER.forEach(function (name) {
      if (!statusLabels[name]) {
        return;
      }
      var s = STATUSES[name];
      list.appendChild(
        keyItem(statusLabels[name], function (ctx, w, h) {
          ctx.strokeStyle = s.line;
          ctx.lineWidth = 2;
          if (type === "line") {
            ctx.fillStyle = s.fill;
            drawMarker(ctx, s.shape, s.size + 1, w / 2, h / 2);
          } else {
            ctx.fillStyle = statusFill(name);
            ctx.fillRect(8, 2, w - 16, h - 4);
            ctx.strokeRect(8, 2, w - 16, h - 4);
          }
        })
      );
    });
    return list.childNodes.length > 1 ? list : null;
  }

  window.AppChartMarks = {
    STATUSES: STATUSES,
    STATUS_ORDER: STATUS_ORDER,
    statusOf: statusOf,
    readStatusColours: readStatusColours,
    pattern: pattern,
    statusFill: statusFill,
    buildKey: buildKey
  };
})();
