/* Ceasefire cycle's only script besides htmx: no inline handlers anywhere (strict CSP). */
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  var field = event.target;
  if (!field || field.tagName !== "TEXTAREA") return;
  var form = field.closest("form[data-submit-on-ctrl-enter]");
  if (form) {
    event.preventDefault();
    form.requestSubmit();
  }
});
