// The account console's times (interactions/views/utc-time.ts) are written in UTC by the server,
// which does not know the person's time zone. The browser does: each <time datetime> is rewritten
// in the browser's zone, with the zone named ("CET", "GMT+2") so the reader knows which it is; the
// UTC text stays as the element's title. Without this script the UTC text shows, "UTC" written out.
// Allowed by its hash (src/http/page-scripts.ts).
(function () {
  'use strict';
  if (typeof Intl === 'undefined' || !Intl.DateTimeFormat) return;
  // Written the page's way (its <html lang>, the language the server chose), not the browser's
  // default: a German page shows German dates whatever language the browser itself runs in.
  var lang = document.documentElement.lang;
  // A tag this browser cannot read (supportedLocalesOf throws on a malformed one) leaves its default.
  var locale;
  try {
    locale = lang && Intl.DateTimeFormat.supportedLocalesOf([lang]).length ? lang : undefined;
  } catch {
    locale = undefined;
  }
  var format = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  var times = document.querySelectorAll('time[datetime]');
  Array.prototype.forEach.call(times, function (time) {
    var moment = new Date(time.getAttribute('datetime'));
    if (isNaN(moment.getTime())) return;
    time.title = time.textContent;
    time.textContent = format.format(moment);
    time.setAttribute('data-local', '');
  });
})();
