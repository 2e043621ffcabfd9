// The recovery codes page (interactions/views/recovery-codes.ts): "Copy" puts every code on the
// clipboard, one a line; "Download" saves them as a text file. The page works without this script:
// the codes are plain text to select or write down, and the buttons stay hidden. Allowed by its
// hash (src/http/page-scripts.ts).
(function () {
  'use strict';
  var list = document.querySelector('ul.codes');
  var actions = document.querySelector('[data-codes-actions]');
  if (!list || !actions) return;
  var codes = Array.prototype.map.call(list.querySelectorAll('code'), function (code) {
    return code.textContent;
  });
  var text = codes.join('\n') + '\n';
  var copy = actions.querySelector('[data-codes-copy]');
  var download = actions.querySelector('[data-codes-download]');
  actions.hidden = false;

  var say = function (button, words) {
    var label = button.getAttribute('data-label') || button.textContent;
    button.setAttribute('data-label', label);
    button.textContent = words;
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  };

  copy.addEventListener('click', function () {
    // No clipboard (an insecure origin, or refused): the codes are selected for the person to copy.
    var selectThem = function () {
      var range = document.createRange();
      range.selectNodeContents(list);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say(copy, 'Selected: press Ctrl+C');
    };
    if (!navigator.clipboard) return selectThem();
    navigator.clipboard.writeText(text).then(function () {
      say(copy, 'Copied');
    }, selectThem);
  });

  download.addEventListener('click', function () {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = download.getAttribute('data-file') || 'recovery-codes.txt';
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  });
})();
