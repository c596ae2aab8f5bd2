// The committee event form (committees/detail.html), in a file: the Content-Security-
// Policy runs no inline script. Without it the form still works: every fieldset the
// chosen kind needs is rendered by the server, "Mostrar los campos" and "Agregar" post
// what was typed and the page comes back with the fields or rows asked for, and a
// member row is removed with its checkbox.
(function () {
  "use strict";
  var form = document.querySelector("form.event-form");
  if (!form) {
    return;
  }
  // The buttons that ask the server for another kind's fields are not needed here (and
  // must not be the first submit button, which Enter in a field presses).
  form.querySelectorAll("[data-no-js]").forEach(function (element) {
    element.remove();
  });

  // Only the fieldsets of the chosen kind are shown; a hidden one is disabled too, so
  // nothing typed in it is sent.
  var select = form.querySelector("[data-kind-select]");
  var showKind = function () {
    form.querySelectorAll("fieldset[data-kinds]").forEach(function (fieldset) {
      var shown = fieldset.getAttribute("data-kinds").split(" ").indexOf(select.value) >= 0;
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    });
  };
  if (select) {
    select.addEventListener("change", showKind);
    showKind();
  }

  // Member rows: "Agregar" copies the empty row of the <template> (Django's empty_form,
  // numbered from TOTAL_FORMS); "Quitar" ticks the row's DELETE box and hides the row, so
  // the rows keep their numbers and the server drops the ticked ones.
  var rows = form.querySelector("[data-rows]");
  var template = form.querySelector("template[data-row-template]");
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var most = form.querySelector("input[name$='-MAX_NUM_FORMS']");
  var adopt = function (row) {
    var box = row.querySelector("input[type=checkbox][name$='-DELETE']");
    var button = row.querySelector("[data-remove-row]");
    if (!box || !button) {
      return;
    }
    box.closest("label").hidden = true;
    button.hidden = false;
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
    });
  };
  if (rows && template && total) {
    rows.querySelectorAll("tr[data-row]").forEach(adopt);
    var add = form.querySelector("[data-add-row]");
    add.type = "button"; // adds a row here, no longer posts the form
    add.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      if (most && index >= parseInt(most.value, 10)) {
        return;
      }
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = rows.lastElementChild;
      adopt(row);
      row.querySelector("input").focus();
    });
  }
}());
