// Behaviour every page shares, in a file: the Content-Security-Policy runs no inline
// script and no on...= handler.
(function () {
  "use strict";
  // <select data-autosubmit> submits its form when changed (the language picker).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });
}());
