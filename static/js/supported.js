// Loaded as a classic, blocking script in <head> (no inline scripts: the
// Content-Security-Policy forbids them), so it runs before the first paint.
//
// GOV.UK Frontend's styles for its scripted components hang off the class
// `govuk-frontend-supported` on an ancestor. app.js (an ES module, deferred)
// adds it to <body> only after the page has been drawn once, so everything
// those styles change (the phone menu folded behind its button, charts' space)
// used to jump after load. Setting it on <html> here, for the same browsers
// that will run app.js (those that support ES modules), draws the page once as
// the scripts will leave it. app.js still sets it on <body>, where GOV.UK
// Frontend's own check looks.
if ("noModule" in HTMLScriptElement.prototype) {
  document.documentElement.classList.add("govuk-frontend-supported");
}
