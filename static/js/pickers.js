/* Type-ahead pickers (the call-in's attendees): a person ticked among the search results moves
 * into the chosen list, so a new search does not lose them; unticked there, they go. Loaded as a
 * file (no inline script, CSP-safe). Without JavaScript the results are plain checkboxes. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox]")) return;
    var fieldset = box.closest("fieldset");
    if (!fieldset) return;
    var chosen = fieldset.querySelector("[data-picker-chosen]");
    var results = fieldset.querySelector("[data-picker-results]");
    if (!chosen || !results) return;
    var label = box.closest("label");
    if (box.checked && results.contains(box)) {
      if (chosen.querySelector("input[value='" + box.value + "']")) label.remove();
      else chosen.appendChild(label);
    } else if (!box.checked && chosen.contains(box)) {
      label.remove();
    }
  });
})();

/* A searchable select (the review's "Which groups"): typing in the box tied to a select by
 * data-filter-for hides the options that do not match; chosen options always stay visible. */
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-filter-for]")) return;
    var select = document.getElementById(box.dataset.filterFor);
    if (!select) return;
    var words = box.value.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = !!words && !option.selected && option.text.toLowerCase().indexOf(words) < 0;
    });
  });
})();
