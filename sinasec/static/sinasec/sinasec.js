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

  // A table box that scrolls sideways (.scroll-x) with nothing focusable inside could not
  // be scrolled from the keyboard: while it overflows it joins the tab order, as a region
  // named after its table's caption when it has one (WCAG 2.1.1; axe's
  // scrollable-region-focusable). Checked again on resize and when a <details> opens.
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  var scrollables = function () {
    document.querySelectorAll(".scroll-x").forEach(function (box) {
      if (box.querySelector(FOCUSABLE)) { return; }
      if (box.scrollWidth > box.clientWidth) {
        if (box.hasAttribute("tabindex")) { return; }
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        var caption = box.querySelector("caption");
        if (caption && caption.textContent.trim()) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else if (box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "data-scroll-focus", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  };
  scrollables();
  window.addEventListener("load", scrollables);
  window.addEventListener("resize", scrollables);
  document.addEventListener("toggle", scrollables, true);

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
