#!/usr/bin/env node
// Front-end build: GOV.UK Frontend (compiled with Arial, no GDS Transport, no
// crown) and Chart.js, written to static/dist/ for Django's staticfiles.
//
// Usage: npm ci && npm run build   (no dependencies beyond package.json's three)
//
// Writes:
//   static/dist/css/main.css              compiled from static/scss/main.scss
//   static/dist/js/govuk-frontend.min.js  GOV.UK Frontend ES module bundle
//   static/dist/js/chart.umd.min.js       Chart.js UMD build (classic script)
//   static/dist/js/app.js, chart-marks.js, charts.js
//                                         own scripts, copied from static/js/
//   static/dist/assets/images/...         only the images the compiled CSS uses
//   static/dist/assets/images/favicon.svg a neutral favicon (no crown)
//
// Idempotent: every run rewrites the same files; stale files under
// static/dist/ are removed first so nothing outdated lingers.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
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
const css = result.css;

// Guard rails: the service must not load GDS Transport nor any font file.
for (const forbidden of ["GDS Transport", "/assets/fonts", "@font-face"]) {
  if (css.includes(forbidden)) {
    throw new Error(`compiled CSS contains "${forbidden}": check static/scss/main.scss settings`);
  }
}
write(cssOut, css + "\n");

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
