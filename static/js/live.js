/* The open review, live (loaded as a file: no inline script, CSP-safe).
 *
 * The page polls what other facilitators changed (reviews:review-changes) and receives those
 * parts as out-of-band swaps. A part that holds the field someone is typing in, or an answer
 * with unsaved typing, is not replaced: the typing stays, and a note says the part changed
 * elsewhere (a section is offered again at the next poll; an answer's save then meets the usual
 * clash message naming who changed it).
 */
(function () {
  "use strict";

  function editing(target) {
    var active = document.activeElement;
    if (active && active !== document.body && target.contains(active) &&
        /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.type !== "hidden") {
      return true;
    }
    return !!(target.matches("[data-unsaved]") || target.querySelector("[data-unsaved]"));
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-filter-for]")) return;
    var form = event.target.closest && event.target.closest("form.answer");
    if (form) form.setAttribute("data-unsaved", "1");
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var status = event.detail.target;
    var form = status && status.closest && status.closest("form.answer");
    if (form && !status.querySelector(".answer-error")) form.removeAttribute("data-unsaved");
  });

  var ANSWER = "textarea[name=value], select[name=value], input[name=value]";

  function valueOf(field) {
    if (field.multiple) {
      return Array.prototype.filter.call(field.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }).join(",");
    }
    return field.value;
  }

  // An answer coming back as it already stands here is this page's own save echoed by a poll
  // that crossed it: nothing changed elsewhere, and the save's answer brings the new version.
  function echoes(target, fragment) {
    var mine = target.querySelectorAll(ANSWER);
    var theirs = fragment.querySelectorAll ? fragment.querySelectorAll(ANSWER) : [];
    if (!mine.length || mine.length !== theirs.length) return false;
    for (var i = 0; i < mine.length; i++) {
      if (valueOf(mine[i]) !== valueOf(theirs[i])) return false;
    }
    return true;
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id === "live-updates" || !editing(target)) return;
    event.detail.shouldSwap = false;
    if (echoes(target, event.detail.fragment)) return;
    var note = target.querySelector(".save-status, [data-live-note]");
    if (note) note.textContent = "Changed by someone else just now — your typing is kept.";
  });
})();
