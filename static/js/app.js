// Entry point, loaded as an ES module from /static/dist/js/app.js (the build
// copies it next to govuk-frontend.min.js). No inline scripts: the
// Content-Security-Policy forbids them, so the classes GOV.UK's page template
// would set from an inline <script> are set here instead.
import { initAll } from "./govuk-frontend.min.js";

// A browser that runs this ES module supports GOV.UK Frontend. Components and
// their CSS check for `govuk-frontend-supported` on <body>; `js-enabled` is kept
// for our own styles and older conventions.
document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();

// Print buttons without inline handlers: <button type="button" data-app-print>.
document.addEventListener("click", (event) => {
  const trigger = event.target instanceof Element ? event.target.closest("[data-app-print]") : null;
  if (trigger) {
    event.preventDefault();
    window.print();
  }
});
