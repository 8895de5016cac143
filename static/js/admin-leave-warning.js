// Warns an editor who leaves an edit form with changes not yet saved.
// The server refuses a save made from an out-of-date form whether or not this runs.
(function () {
  "use strict";
  // The edit form itself (Django names it after the model), not the small forms beside it.
  var form = document.querySelector(".change-form #content-main form[id$=\"_form\"]");
  if (!form) {
    return;
  }
  var changed = false;
  function markChanged() {
    changed = true;
  }
  form.addEventListener("input", markChanged);
  form.addEventListener("change", markChanged);
  form.addEventListener("submit", function () {
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
