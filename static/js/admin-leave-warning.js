// Warns an editor who leaves an edit form with changes not yet saved.
// The server refuses a save made from an out-of-date form whether or not this runs.
(function () {
  "use strict";
  var form = document.querySelector(".change-form #content-main form");
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
