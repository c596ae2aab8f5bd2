// The job page: while the job runs, read its state every 2 s and update the progress;
// when it ends, reload once so the server renders the result or the error.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-state]");
  if (!box || !box.hasAttribute("data-job-running")) return;
  var url = box.getAttribute("data-job-state");
  var bar = box.querySelector("progress");

  function show(state) {
    box.querySelectorAll("[data-job-field]").forEach(function (el) {
      var value = state[el.getAttribute("data-job-field")];
      if (value !== undefined && value !== null) el.textContent = String(value);
    });
    if (bar) {
      bar.value = state.percent;
      bar.textContent = state.percent + " %";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }

  window.setTimeout(poll, 2000);
})();
