/* Keyboard shortcuts on the live meeting pages (loaded as a file: no inline script, CSP-safe).
 *
 *   ?            show or hide the list of shortcuts
 *   j / k        next / previous item (a shooting on the review — opened —, a person on the
 *                coordination page)
 *   t            go to "add a task"
 *   Ctrl+Enter   save the form the cursor is in
 *   Esc          close the list
 *
 * The page says what its items and its task form are: <dialog id="shortcuts"
 * data-items="CSS selector" data-add-task="CSS selector">. Letters never fire while typing.
 */
(function () {
  "use strict";

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function setUp() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog || dialog.dataset.ready) return;
    dialog.dataset.ready = "1";
    var current = -1;

    function items() {
      return Array.prototype.slice.call(document.querySelectorAll(dialog.dataset.items || "none"));
    }

    function move(step) {
      var list = items();
      if (!list.length) return;
      if (step > 0 && current >= list.length - 1) {
        // past the last item drawn: a long agenda draws the next batch ([data-more-items])
        var more = document.querySelector("[data-more-items]");
        if (more) more.click();
      }
      current = Math.max(0, Math.min(list.length - 1, current + step));
      var item = list[current];
      if (!item.hasAttribute("tabindex")) item.setAttribute("tabindex", "-1");
      var details = item.querySelector("details");
      if (details) details.open = true; // a review's shooting loads its details when opened
      item.scrollIntoView({ block: "start" });
      item.focus({ preventScroll: true });
    }

    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        var form = event.target.form || (event.target.closest && event.target.closest("form"));
        if (form) {
          event.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "?") {
        event.preventDefault();
        if (dialog.open) dialog.close();
        else dialog.showModal();
      } else if (event.key === "j") {
        move(1);
      } else if (event.key === "k") {
        move(-1);
      } else if (event.key === "t") {
        var target = document.querySelector(dialog.dataset.addTask || "none");
        if (target) {
          event.preventDefault();
          var details = target.closest("details");
          if (details) details.open = true;
          target.scrollIntoView({ block: "center" });
          target.focus();
        }
      }
    });
    var close = dialog.querySelector("[data-close]");
    if (close) close.addEventListener("click", function () { dialog.close(); });
  }

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSettle", setUp);
})();
