// The admin console's Copy buttons (interactions/admin/credentials-page.ts). The page works without
// this script: each value is in a read-only field to select by hand. With it, the hidden buttons
// appear and copy their field to the clipboard. Allowed by its hash (src/http/page-scripts.ts).
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      var done = function (text) {
        button.textContent = text;
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      };
      // No clipboard (an insecure origin, or refused): the text is selected for the person to copy.
      var selectIt = function () {
        field.select();
        done('Selected: press Ctrl+C');
      };
      if (!navigator.clipboard) return selectIt();
      navigator.clipboard.writeText(field.value).then(function () {
        done('Copied');
      }, selectIt);
    });
  });
})();
