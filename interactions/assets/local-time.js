// The account console's times (interactions/views/utc-time.ts) are written in UTC by the server,
// which does not know the person's time zone. The browser does: each <time datetime> is rewritten
// in the browser's zone, with the zone named ("CET", "GMT+2") so the reader knows which it is; the
// UTC text stays as the element's title. Without this script the UTC text shows, "UTC" written out.
// Allowed by its hash (src/http/page-scripts.ts).
(function () {
  'use strict';
  if (typeof Intl === 'undefined' || !Intl.DateTimeFormat) return;
  var format = new Intl.DateTimeFormat(undefined, {
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
