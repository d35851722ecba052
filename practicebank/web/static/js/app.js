// Progressive enhancement only: every page works without JavaScript.
// (Facet checkboxes deliberately do not submit on change: a context change on input surprises
// keyboard and screen-reader users, WCAG 3.2.2. The "Apply filters" button submits.)
(function () {
  "use strict";
  var LIMIT = 20 * 1024 * 1024;
  // Warn before a too-big upload travels to the server only to be refused with 413.
  document.querySelectorAll("input[type=file]").forEach(function (input) {
    var note = document.createElement("p");
    note.className = "error";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var tooBig = file && file.size > LIMIT;
      note.textContent = tooBig ? (document.documentElement.lang === "ru"
        ? "Файл больше 20 МБ: разделите его на части."
        : "The file is larger than 20 MB: split it into smaller ones.") : "";
    });
  });
  // A chart or table that scrolls sideways (narrow screens) must be reachable by keyboard
  // (WCAG 2.1.1) when nothing inside it takes the focus; checked again when a <details> opens.
  function focusableWhenScrolling(root) {
    root.querySelectorAll("figure.chart, figure.tilemap, .table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.querySelector("a[href], button, input, select, textarea")) {
        box.tabIndex = 0;
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusableWhenScrolling(document);
  // The phone menu: the button folds the header's navigation (CSS hides it on narrow screens
  // only while the menu is closed). Escape closes it and gives the focus back to the button.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    document.documentElement.classList.add("has-menu-toggle");
    toggle.hidden = false;
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    };
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }
  document.addEventListener("toggle", function (event) { focusableWhenScrolling(event.target); }, true);
  window.addEventListener("resize", function () { focusableWhenScrolling(document); });
})();
// A destructive action (archive, disable an account, decline, revoke a token) asks first: its
// form carries data-confirm with the question in the page's language. Without JavaScript the
// form posts as before (the server keeps POST and CSRF either way).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
