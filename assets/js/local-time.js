// Times on the status page in the reader's own time zone: every <time datetime="..."> gets
// its text rewritten by the browser; without JavaScript the server's text (UTC) stays.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var format;
  try {
    format = new Intl.DateTimeFormat(lang === "nb" ? "nb-NO" : lang, {
      dateStyle: "short", timeStyle: "short", timeZoneName: "short"
    });
  } catch (e) {
    return;
  }
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var at = new Date(el.getAttribute("datetime"));
    if (!isNaN(at.getTime())) {
      el.title = el.textContent;
      el.textContent = format.format(at);
    }
  });
})();
