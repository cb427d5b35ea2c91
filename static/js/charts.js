/*
 * Charts as a progressive enhancement over server-rendered tables.
 *
 * Loaded as a classic deferred script after /static/dist/js/chart.umd.min.js
 * (which defines window.Chart) and chart-marks.js (window.AppChartMarks).
 * Without JavaScript, or if Chart.js fails to load, the page keeps its table,
 * which is always the full and accessible version of the data: this script
 * only adds a picture above it.
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
 * - Space: a page that includes templates/_chart_slot.html for the table's id
 *   (<div class="app-chart-slot" data-chart-slot="TABLE-ID">) has the chart and
 *   its key drawn in that reserved space, so nothing moves when it appears;
 *   without a slot they are inserted before the table. A slot with nothing to
 *   draw is removed.
 * - Status: a cell's data-status ("green", "amber", "red", "grey" for monitoring only, or "no_result") colours
 *   that point or bar by its red, amber or green status. The table says the
 *   status in words too (a Status column, left out of the chart with
 *   data-chart-columns, or the row's label), so the chart is never the only
 *   place it is said.
 *
 * Colours are from the GOV.UK palette and each has at least 3:1 contrast with
 * white; every series also has its own point style and dash pattern (lines) or
 * fill pattern (bars), so colour is never the only distinction.
 *
 * A status is drawn in the colours the status tags use, with a marker shape
 * (lines) or fill pattern (bars) as a second cue: static/js/chart-marks.js,
 * loaded before this file. A key under the chart names each series and status
 * beside its line, marker or pattern.
 */
(function () {
  "use strict";

  // The space reserved for a table's chart (templates/_chart_slot.html), if
  // the page has one: <div class="app-chart-slot" data-chart-slot="TABLE-ID">.
  function slotFor(table) {
    if (!table.id) {
      return null;
    }
    var slots = document.querySelectorAll("[data-chart-slot]");
    for (var i = 0; i < slots.length; i++) {
      if (slots[i].getAttribute("data-chart-slot") === table.id) {
        return slots[i];
      }
    }
    return null;
  }

  function dropSlots() {
    var slots = document.querySelectorAll ? document.querySelectorAll("[data-chart-slot]") : [];
    Array.prototype.forEach.call(slots, function (slot) {
      slot.parentNode.removeChild(slot);
    });
  }

  if (typeof window.Chart !== "function" || !window.AppChartMarks || !document.querySelector) {
    dropSlots(); // no chart to draw: give the reserved space back
    return;
  }

  var Chart = window.Chart;
  var marks = window.AppChartMarks;
  var STATUSES = marks.STATUSES;

  // Contrast with white: 5.17, 4.69, 5.35, 9.06, 4.87, 19.6, 4.64, 5.16 to 1.
  var COLOURS = ["#1d70b8", "#b7592a", "#0f7a52", "#54319f", "#ca357c", "#0b0c0c", "#158187", "#ca3535"];
  var POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];
  var DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [12, 6], [2, 6], [8, 3, 2, 3, 2, 3]];
  var PATTERNS = ["solid", "diagonal", "dots", "cross", "horizontal", "vertical", "diagonal-reverse", "grid"];
  // In a chart with statuses the other series (a target) are black or dark grey
  // (19.6 and 9.0 to 1), so no series is mistaken for a status.
  var NEUTRALS = ["#0b0c0c", "#484949"];

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
    var slot = slotFor(table);
    if (!draw(table, index, slot) && slot && slot.parentNode) {
      slot.parentNode.removeChild(slot); // nothing drawn: give the space back
    }
  }

  // Draws the chart of one table; false if there is nothing to draw.
  function draw(table, index, slot) {
    var type = table.getAttribute("data-chart");
    if (type !== "line" && type !== "bar") {
      return false;
    }

    var headers = headerCells(table);
    var rows = bodyRows(table);
    if (headers.length < 2 || rows.length === 0) {
      return false;
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
      return false;
    }

    var labels = rows.map(function (row) {
      return text(row.cells[0]);
    });

    var cellsByColumn = columns.map(function (col) {
      return rows.map(function (row) {
        return row.cells[col];
      });
    });
    var statusesByColumn = cellsByColumn.map(function (cells) {
      return cells.map(marks.statusOf);
    });
    var anyStatus = statusesByColumn.some(function (statuses) {
      return statuses.some(Boolean);
    });
    // The statuses drawn, with their words for the key (a cell's
    // data-status-label, else the default).
    var statusLabels = {};
    var neutral = 0;

    var allCells = [];
    var datasets = columns.map(function (col, i) {
      var cells = cellsByColumn[i];
      var statuses = statusesByColumn[i];
      allCells = allCells.concat(cells.filter(Boolean));
      var data = cells.map(parseNumber);
      var coloured = statuses.some(Boolean);
      var colour = anyStatus ? NEUTRALS[neutral++ % NEUTRALS.length] : COLOURS[i % COLOURS.length];
      var dataset = {
        label: text(headers[col]) || "Series " + (i + 1),
        data: data,
        borderColor: colour,
        pointStyle: POINT_STYLES[i % POINT_STYLES.length],
        statuses: statuses,
        statusColoured: coloured
      };
      statuses.forEach(function (status, j) {
        if (status && data[j] !== null && !statusLabels[status]) {
          statusLabels[status] = cells[j].getAttribute("data-status-label") || STATUSES[status].key;
        }
      });
      var pick = function (part, otherwise) {
        return statuses.map(function (status) {
          return status ? STATUSES[status][part] : otherwise;
        });
      };
      if (type === "line") {
        dataset.backgroundColor = colour;
        dataset.borderDash = DASHES[(anyStatus ? neutral - 1 : i) % DASHES.length];
        dataset.borderWidth = 3;
        dataset.pointRadius = 5;
        dataset.pointHoverRadius = 7;
        dataset.pointBackgroundColor = colour;
        dataset.spanGaps = false; // a blank cell is a visible gap
        dataset.tension = 0;
        if (coloured) {
          dataset.pointStyle = pick("shape", "circle");
          dataset.pointBackgroundColor = pick("fill", colour);
          dataset.pointBorderColor = pick("line", colour);
          dataset.pointBorderWidth = 2;
          dataset.pointRadius = pick("size", 5);
          dataset.pointHoverRadius = statuses.map(function (status) {
            return (status ? STATUSES[status].size : 5) + 2;
          });
        } else if (anyStatus) {
          dataset.pointRadius = 0; // markers are for statuses
          dataset.pointHoverRadius = 0;
        }
      } else if (coloured) {
        dataset.backgroundColor = statuses.map(function (status) {
          return status ? marks.statusFill(status) : colour;
        });
        dataset.borderColor = pick("line", colour);
        dataset.borderWidth = 2;
      } else {
        dataset.backgroundColor = marks.pattern(PATTERNS[i % PATTERNS.length], colour);
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
      return false;
    }

    var units = unitsOf(allCells);
    var format = formatter(units);
    var caption = text(table.caption) || table.getAttribute("aria-label") || "Chart";
    var description =
      (type === "line" ? "Line chart: " : "Bar chart: ") + caption + ". The same data is in the table that follows.";

    // A table folded away in a <details> keeps its chart in view, before it; a
    // dashboard's folded section (.app-fold) folds its chart too. The chart goes
    // before the table's scroll region, not inside it.
    // With a slot (templates/_chart_slot.html), the chart and its key fill the
    // space reserved for them; without one they are inserted, moving what follows.
    var anchor =
      (table.closest && (table.closest("details:not(.app-fold)") || table.closest(".app-table-scroll"))) || table;
    var wrapper = slot && slot.querySelector(".app-chart");
    if (!wrapper) {
      slot = null;
      wrapper = document.createElement("div");
      wrapper.className = "app-chart";
    }
    var canvas = document.createElement("canvas");
    canvas.id = (table.id || "app-chart-" + (index + 1)) + "-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", description);
    canvas.textContent = description; // fallback content
    wrapper.appendChild(canvas);
    if (!slot) {
      anchor.parentNode.insertBefore(wrapper, anchor);
    }
    var key = datasets.length > 1 || anyStatus ? marks.buildKey(type, datasets, statusLabels) : null;
    if (key && slot) {
      slot.appendChild(key);
    } else if (key) {
      anchor.parentNode.insertBefore(key, anchor);
    }
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
          layout: { padding: { top: 10, right: 10 } }, // markers at the edges drawn whole
          scales: {
            x: {
              grid: { display: false },
              border: { color: "#0b0c0c" },
              ticks: { color: "#0b0c0c" }
            },
            y: yScale
          },
          plugins: {
            legend: { display: false }, // the key under the chart instead
            tooltip: {
              callbacks: {
                label: function (context) {
                  var value = context.parsed.y;
                  var status = context.dataset.statuses[context.dataIndex];
                  return (
                    context.dataset.label +
                    ": " +
                    (value === null ? "no data" : format(value)) +
                    (status && value !== null ? " (" + STATUSES[status].word + ")" : "")
                  );
                }
              }
            }
          }
        }
      });
    } catch (error) {
      // The table is still there; drop the empty picture (enhance drops the slot).
      if (!slot) {
        wrapper.parentNode.removeChild(wrapper);
      }
      if (key) {
        key.parentNode.removeChild(key);
      }
      table.removeAttribute("data-chart-enhanced");
      if (window.console) {
        window.console.error(error);
      }
      return false;
    }
    return true;
  }

  function init() {
    var bodyFont = window.getComputedStyle(document.body).fontFamily || "";
    Chart.defaults.font.family = /arial|sans/i.test(bodyFont) ? bodyFont : "arial, sans-serif";
    Chart.defaults.font.size = 16;
    Chart.defaults.color = "#0b0c0c";
    marks.readStatusColours();
    var tables = document.querySelectorAll('table[data-chart="line"], table[data-chart="bar"]');
    Array.prototype.forEach.call(tables, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
