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

  // The "Menú" button of narrow screens (the CSS shows it under 800 px once this ran, so
  // without script the links simply wrap): it opens and closes the main menu; Escape closes
  // it and gives the focus back to the button.
  var toggle = document.querySelector(".topbar .menu-toggle");
  if (toggle) {
    var bar = toggle.closest(".topbar");
    var setOpen = function (open) {
      bar.classList.toggle("menu-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    bar.classList.add("has-menu");
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // A form refused by the server comes back with its errors summarised at the top
  // (core/_error_summary.html): the focus goes there, so a screen reader reads it first.
  // After the load: the browser's scroll to the page's #fragment would take it away.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    window.addEventListener("load", function () {
      summary.focus();
    });
  }
}());
