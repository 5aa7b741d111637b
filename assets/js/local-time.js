// Times on the status page in the reader's own time zone: every <time datetime="..."> the
// server wrote in UTC gets its text rewritten in the browser's zone. Times already in a zone
// the reader chose (data-zone, a signed-in customer's setting) stay as they are. Without
// JavaScript the server's text stays: UTC, labelled so.
(function () {
  "use strict";
  // The regional forms the portal's own dates use (03.12.2026, 03/12/2026, 2026-12-03).
  var regions = { da: "da-DK", de: "de-DE", en: "en-GB", fr: "fr-FR", nb: "nb-NO", nl: "nl-NL", sv: "sv-SE" };
  var lang = document.documentElement.lang || "en";
  var format;
  try {
    // dateStyle and timeStyle cannot be combined with timeZoneName: the parts one by one.
    format = new Intl.DateTimeFormat(regions[lang] || lang, {
      year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
    });
  } catch (e) {
    return;
  }
  var rewritten = 0;
  document.querySelectorAll("time[datetime]:not([data-zone])").forEach(function (el) {
    var at = new Date(el.getAttribute("datetime"));
    if (!isNaN(at.getTime())) {
      el.title = el.textContent;
      el.textContent = format.format(at);
      rewritten += 1;
    }
  });
  var note = document.querySelector("[data-local-note]");
  if (note && rewritten > 0) {
    note.textContent = note.getAttribute("data-local-note");
  }
})();
