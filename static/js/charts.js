/*
 * Charts as a progressive enhancement over server-rendered tables.
 *
 * Loaded as a classic deferred script after /static/dist/js/chart.umd.min.js
 * (which defines window.Chart). Without JavaScript, or if Chart.js fails to
 * load, the page keeps its table, which is always the full and accessible
 * version of the data: this script only adds a picture above it.
 *
 * Markup:
 *   <table class="govuk-table" data-chart="line">        (or data-chart="bar")
 *     <caption class="govuk-table__caption">Sickness absence, days per FTE</caption>
 *     <thead><tr><th>Quarter</th><th>2025/26</th><th>Target</th></tr></thead>
 *     <tbody>
 *       <tr><th>Q1</th><td>2.1</td><td>2.0</td></tr>
 *       <tr><th>Q2</th><td></td><td>2.0</td></tr>       (blank = a gap)
 *     </tbody>
 *   </table>
 *
 * - Series names: the cells of the header row after the first.
 * - Labels: the first cell of each body row.
 * - Values: cell text with %, £, commas and spaces stripped; blank, "-", "–"
 *   or anything not numeric is a gap. A cell's data-value attribute, if
 *   present, is used instead of its text (for cells such as "85% ↑ Improving").
 * - Optional: data-chart-columns="1,3" plots only those columns (1 = the first
 *   column after the labels); data-chart-y-min / data-chart-y-max fix the axis.
 *
 * Colours are from the GOV.UK palette and each has at least 3:1 contrast with
 * white; every series also has its own point style and dash pattern (lines) or
 * fill pattern (bars), so colour is never the only distinction.
 */
(function () {
  "use strict";

  if (typeof window.Chart !== "function" || !document.querySelector) {
    return;
  }

  var Chart = window.Chart;

  // Contrast with white: 5.17, 4.69, 5.35, 9.06, 4.87, 19.6, 4.64, 5.16 to 1.
  var COLOURS = ["#1d70b8", "#b7592a", "#0f7a52", "#54319f", "#ca357c", "#0b0c0c", "#158187", "#ca3535"];
  var POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [12, 6], [2, 6], [8, 3, 2, 3, 2, 3]];
  var PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal-reverse", "grid"];

  var GAP_TEXT = /^(|-|\u2013|\u2014|n\/?a|none|nodata)$/i;

  function text(el) {
    return (el && el.textContent ? el.textContent : "").replace(/\s+/g, " ").trim();
  }

  function parseText(raw) {
    raw = String(raw === null || raw === undefined ? "" : raw)
      .replace(/[%\u00a3,\s\u00a0]/g, "")
      .replace(/\u2212/g, "-");
    if (GAP_TEXT.test(raw)) {
      return null;
    }
    // Leading number only ("12.5pp" -> 12.5), otherwise a gap.
    var match = raw.match(/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/);
    if (!match) {
      return null;
    }
    var value = parseFloat(match[0]);
    return isFinite(value) ? value : null;
  }

  function parseNumber(cell) {
    if (!cell) {
      return null;
    }
    return parseText(cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : text(cell));
  }

  function unitsOf(cells) {
    var percent = false;
    var pounds = false;
    cells.forEach(function (cell) {
      var t = text(cell);
      if (t.indexOf("%") !== -1) {
        percent = true;
      }
      if (t.indexOf("\u00a3") !== -1) {
        pounds = true;
      }
    });
    return { prefix: pounds ? "\u00a3" : "", suffix: percent ? "%" : "" };
  }

  function headerCells(table) {
    var row = null;
    if (table.tHead && table.tHead.rows.length) {
      row = table.tHead.rows[table.tHead.rows.length - 1];
    } else if (table.rows.length) {
      row = table.rows[0];
    }
    return row ? Array.prototype.slice.call(row.cells) : [];
  }

  function bodyRows(table) {
    var rows = [];
    var bodies = table.tBodies.length ? Array.prototype.slice.call(table.tBodies) : [table];
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (!table.tHead && row === table.rows[0]) {
          return; // the header row of a table without <thead>
        }
        rows.push(row);
      });
    });
    return rows;
  }

  // Fill pattern for bars: the series colour on white, drawn on a small tile.
  function pattern(kind, colour) {
    if (kind === "solid") {
      return colour;
    }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var ctx = tile.getContext("2d");
    if (!ctx) {
      return colour;
    }
    ctx.fillStyle = "#ffffff";
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
    return ctx.createPattern(tile, "repeat") || colour;
  }

  function formatter(units) {
    return function (value) {
      if (value === null || value === undefined || value === "") {
        return "";
      }
      var number = Number(value).toLocaleString("en-GB", { maximumFractionDigits: 2 });
      return units.prefix + number + units.suffix;
    };
  }

  function enhance(table, index) {
    if (table.hasAttribute("data-chart-enhanced")) {
      return;
    }
    var type = table.getAttribute("data-chart");
    if (type !== "line" && type !== "bar") {
      return;
    }

    var headers = headerCells(table);
    var rows = bodyRows(table);
    if (headers.length < 2 || rows.length === 0) {
      return;
    }

    var columns = [];
    var wanted = table.getAttribute("data-chart-columns");
    if (wanted) {
      wanted.split(",").forEach(function (c) {
        var n = parseInt(c, 10);
        if (n >= 1 && n < headers.length) {
          columns.push(n);
        }
      });
    } else {
      for (var c = 1; c < headers.length; c++) {
        columns.push(c);
      }
    }
    if (!columns.length) {
      return;
    }

    var labels = rows.map(function (row) {
      return text(row.cells[0]);
    });

    var allCells = [];
    var datasets = columns.map(function (col, i) {
      var cells = rows.map(function (row) {
        return row.cells[col];
      });
      allCells = allCells.concat(cells.filter(Boolean));
      var colour = COLOURS[i % COLOURS.length];
      var data = cells.map(parseNumber);
      var dataset = {
        label: text(headers[col]) || "Series " + (i + 1),
        data: data,
        borderColor: colour,
        pointStyle: POINT_STYLES[i % POINT_STYLES.length]
      };
      if (type === "line") {
        dataset.backgroundColor = colour;
        dataset.borderDash = DASHES[i % DASHES.length];
        dataset.borderWidth = 3;
        dataset.pointRadius = 5;
        dataset.pointHoverRadius = 7;
        dataset.pointBackgroundColor = colour;
        dataset.spanGaps = false; // a blank cell is a visible gap
        dataset.tension = 0;
      } else {
        dataset.backgroundColor = pattern(PATTERNS[i % PATTERNS.length], colour);
        dataset.borderWidth = 2;
      }
      return dataset;
    });

    // Nothing numeric to draw: leave the table alone.
    var anyValue = datasets.some(function (d) {
      return d.data.some(function (v) {
        return v !== null;
      });
    });
    if (!anyValue) {
      return;
    }

    var units = unitsOf(allCells);
    var format = formatter(units);
    var caption = text(table.caption) || table.getAttribute("aria-label") || "Chart";
    var description =
      (type === "line" ? "Line chart: " : "Bar chart: ") + caption + ". The same data is in the table that follows.";

    var wrapper = document.createElement("div");
    wrapper.className = "app-chart";
    var canvas = document.createElement("canvas");
    canvas.id = (table.id || "app-chart-" + (index + 1)) + "-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", description);
    canvas.textContent = description; // fallback content
    wrapper.appendChild(canvas);
    table.parentNode.insertBefore(wrapper, table);
    table.setAttribute("data-chart-enhanced", "true");

    var yMin = parseText(table.getAttribute("data-chart-y-min"));
    var yMax = parseText(table.getAttribute("data-chart-y-max"));
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var yScale = {
      beginAtZero: type === "bar",
      grid: { color: "#cecece" },
      border: { color: "#0b0c0c" },
      ticks: { color: "#0b0c0c", callback: format }
    };
    if (yMin !== null) {
      yScale.min = yMin;
    }
    if (yMax !== null) {
      yScale.max = yMax;
    }

    try {
      new Chart(canvas, {
        type: type,
        data: { labels: labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: reduceMotion ? false : { duration: 400 },
          interaction: { mode: "index", intersect: false },
          scales: {
            x: {
              grid: { display: false },
              border: { color: "#0b0c0c" },
              ticks: { color: "#0b0c0c" }
            },
            y: yScale
          },
          plugins: {
            legend: {
              display: datasets.length > 1,
              position: "bottom",
              labels: {
                color: "#0b0c0c",
                usePointStyle: type === "line",
                boxWidth: type === "line" ? 40 : 24,
                boxHeight: type === "line" ? 10 : 16
              }
            },
            tooltip: {
              callbacks: {
                label: function (context) {
                  var value = context.parsed.y;
                  return context.dataset.label + ": " + (value === null ? "no data" : format(value));
                }
              }
            }
          }
        }
      });
    } catch (error) {
      // The table is still there; drop the empty picture.
      wrapper.parentNode.removeChild(wrapper);
      table.removeAttribute("data-chart-enhanced");
      if (window.console) {
        window.console.error(error);
      }
    }
  }

  function init() {
    var bodyFont = window.getComputedStyle(document.body).fontFamily || "";
    Chart.defaults.font.family = /arial|sans/i.test(bodyFont) ? bodyFont : "arial, sans-serif";
    Chart.defaults.font.size = 16;
    Chart.defaults.color = "#0b0c0c";
    var tables = document.querySelectorAll('table[data-chart="line"], table[data-chart="bar"]');
    Array.prototype.forEach.call(tables, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
