#!/usr/bin/env node
// Front-end build: GOV.UK Frontend (compiled with Arial, no GDS Transport, no
// crown) and Chart.js, written to static/dist/ for Django's staticfiles.
//
// Usage: npm ci && npm run build   (no dependencies beyond package.json's)
//
// Writes:
//   static/dist/css/main.css              compiled from static/scss/main.scss, then
//                                         purged of the selectors no page can use
//                                         (PurgeCSS, see "Purge" below)
//   static/dist/js/govuk-frontend.min.js  GOV.UK Frontend ES module bundle
//   static/dist/js/chart.umd.min.js       Chart.js UMD build (classic script)
//   static/dist/js/app.js, chart-marks.js, charts.js
//                                         own scripts, copied from static/js/
//   static/dist/assets/images/...         only the images the compiled CSS uses
//   static/dist/assets/images/favicon.svg a neutral favicon (no crown)
//
// Idempotent: every run rewrites the same files; stale files under
// static/dist/ are removed first so nothing outdated lingers.
//
// Purge: GOV.UK Frontend compiles to about 150 KB of CSS, most of it for
// components this service never renders. PurgeCSS keeps a selector only if its
// classes (and ids, elements, attributes) appear in what renders pages:
//   templates/**/*.html, every *.py and *.html of the project's apps (classes are
//   built in Python too, e.g. govuk-tag--red), static/js/*.js, and
//   crispy-forms-gds's templates and Python (forms render their classes from
//   both: govuk-input--error is added in Python),
// plus a safelist for what is only named at run time: classes GOV.UK Frontend's
// JavaScript adds, class names built from parts (app-heatmap__cell--{{ n }},
// govuk-label--%s), and state attributes (aria-expanded, hidden, open,
// data-<module>-init). So the CSS must be rebuilt when a template or the Python
// gains a class (make frontend does, from those files' dates).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { PurgeCSS } from "purgecss";
import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rel = (p) => path.relative(root, p);

const ASSETS_URL = "/static/dist/assets/"; // must match $govuk-assets-path in main.scss

const dist = path.join(root, "static", "dist");
const cssOut = path.join(dist, "css", "main.css");
const jsDir = path.join(dist, "js");
const assetsDir = path.join(dist, "assets");

const nodeModules = path.join(root, "node_modules");
const govukDist = path.join(nodeModules, "govuk-frontend", "dist", "govuk");
const chartUmd = path.join(nodeModules, "chart.js", "dist", "chart.umd.min.js");

const written = [];

function write(file, contents) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, contents);
  written.push([rel(file), Buffer.byteLength(contents)]);
}

// Django's ManifestStaticFilesStorage (whitenoise) follows sourceMappingURL
// comments and fails collectstatic when the .map is missing: drop them.
function stripSourceMap(text) {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

function copyText(from, to, transform = (t) => t) {
  write(to, transform(fs.readFileSync(from, "utf8")));
}

// 0. Start clean (idempotent output, nothing stale).
fs.rmSync(dist, { recursive: true, force: true });

// 1. Sass -> compressed CSS.
const result = sass.compile(path.join(root, "static", "scss", "main.scss"), {
  style: "compressed",
  loadPaths: [nodeModules],
  quietDeps: true,
  sourceMap: false,
});
const compiled = result.css;

// 1b. Purge what no page uses.
const APPS = fs
  .readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !["tests", "bench", "scripts", "node_modules", "static"].includes(d.name))
  .filter((d) => fs.existsSync(path.join(root, d.name, "__init__.py")))
  .map((d) => d.name);

function crispyFormsGds() {
  const candidates = [];
  if (process.env.CRISPY_FORMS_GDS_DIR) candidates.push(process.env.CRISPY_FORMS_GDS_DIR);
  const lib = path.join(root, ".venv", "lib");
  if (fs.existsSync(lib)) {
    for (const python of fs.readdirSync(lib)) {
      candidates.push(path.join(lib, python, "site-packages", "crispy_forms_gds"));
    }
  }
  for (const python of [path.join(root, ".venv", "bin", "python"), "python3"]) {
    try {
      const out = execFileSync(python, ["-c", "import crispy_forms_gds, os; print(os.path.dirname(crispy_forms_gds.__file__))"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      candidates.push(out.trim());
    } catch {
      // not this interpreter
    }
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "templates")));
  if (!found) {
    throw new Error(
      "crispy_forms_gds not found (its templates give the forms their classes): install the Python " +
        "packages first (make setup) or set CRISPY_FORMS_GDS_DIR",
    );
  }
  return found;
}

const crispy = crispyFormsGds();
const content = [
  path.join(root, "templates", "**", "*.html"),
  ...APPS.flatMap((app) => [path.join(root, app, "**", "*.py"), path.join(root, app, "**", "*.html")]),
  path.join(root, "static", "js", "*.js"),
  path.join(crispy, "templates", "**", "*.html"),
  path.join(crispy, "**", "*.py"),
];

const [purged] = await new PurgeCSS().purge({
  content,
  css: [{ raw: compiled }],
  // Class names as written in templates and Python, GOV.UK's override classes
  // (govuk-!-margin-bottom-4) included: letters, digits, "_", "-" and "!".
  defaultExtractor: (text) => text.match(/[A-Za-z0-9_!-]+/g) || [],
  fontFace: false,
  keyframes: false,
  variables: false,
  // Attribute selectors for states set at run time (by the browser or GOV.UK
  // Frontend's JavaScript) are always kept.
  dynamicAttributes: [
    "aria-expanded",
    "aria-hidden",
    "aria-current",
    "aria-selected",
    "aria-disabled",
    "aria-describedby",
    "hidden",
    "open",
    "disabled",
    "type",
    "data-module",
    "data-govuk-service-navigation-init",
    "data-govuk-accordion-init",
    "data-govuk-tabs-init",
    "data-govuk-character-count-init",
  ],
  safelist: {
    standard: [
      "js-enabled",
      "govuk-frontend-supported",
      // Classes GOV.UK Frontend's JavaScript adds or reads, and components
      // rendered by it.
      /^govuk-(accordion|tabs|character-count|notification-banner|error-summary|skip-link|js-)/,
      /^govuk-(details|radios__conditional|checkboxes__conditional|service-navigation)/,
      /^govuk-(button--disabled|visually-hidden|error-message)/,
      // Error states of every form control, whichever a form renders.
      /^govuk-[a-z-]+--error$/,
      // Built from parts in templates or Python: {{ }} or %s after the prefix.
      /^govuk-tag/,
      /^govuk-(label|fieldset__legend|table__caption|heading|caption|body)-/,
      /^govuk-input--width-/,
      /^govuk-!-width-/,
      /^app-heatmap__cell--/,
      /^app-risk-heatmap__cell--/,
    ],
  },
});
const css = purged.css;

// Guard rails: the service must not load GDS Transport nor any font file.
for (const forbidden of ["GDS Transport", "/assets/fonts", "@font-face"]) {
  if (css.includes(forbidden)) {
    throw new Error(`compiled CSS contains "${forbidden}": check static/scss/main.scss settings`);
  }
}
write(cssOut, css + "\n");
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `main.css: ${kb(Buffer.byteLength(compiled))} compiled, ${kb(Buffer.byteLength(css))} after purging ` +
    `the selectors no template, app or script uses (${(100 - (100 * Buffer.byteLength(css)) / Buffer.byteLength(compiled)).toFixed(0)}% less)`,
);

// 2. Images referenced by the compiled CSS, and nothing else from GOV.UK.
const urls = new Set();
for (const m of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  if (m[1].startsWith(ASSETS_URL)) urls.add(m[1].slice(ASSETS_URL.length));
  else if (!m[1].startsWith("data:")) throw new Error(`unexpected url() in CSS: ${m[1]}`);
}
for (const asset of [...urls].sort()) {
  const src = path.join(govukDist, "assets", asset);
  if (!fs.existsSync(src)) throw new Error(`CSS refers to ${asset}, not found in govuk-frontend assets`);
  const dest = path.join(assetsDir, asset);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, dest);
  written.push([rel(dest), fs.statSync(dest).size]);
}

// A neutral favicon: GOV.UK's favicons carry the crown, which only GOV.UK may use.
write(
  path.join(assetsDir, "images", "favicon.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
    '<rect width="32" height="32" fill="#0b0c0c"/>' +
    '<rect x="6" y="18" width="5" height="8" fill="#ffffff"/>' +
    '<rect x="13.5" y="12" width="5" height="14" fill="#ffffff"/>' +
    '<rect x="21" y="6" width="5" height="20" fill="#ffffff"/>' +
    "</svg>\n",
);

// 3. JavaScript.
copyText(path.join(govukDist, "govuk-frontend.min.js"), path.join(jsDir, "govuk-frontend.min.js"), stripSourceMap);
copyText(chartUmd, path.join(jsDir, "chart.umd.min.js"), stripSourceMap);
for (const name of ["app.js", "supported.js", "chart-marks.js", "charts.js"]) {
  copyText(path.join(root, "static", "js", name), path.join(jsDir, name));
}

for (const [file, size] of written) {
  console.log(`wrote ${file} (${size.toLocaleString("en-GB")} bytes)`);
}
