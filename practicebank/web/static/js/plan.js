// /plan: "Edit the plan" opens the folded form (progressive enhancement: without JavaScript
// the link still jumps to the form, whose summary opens it); the share link selects itself.
(function () {
  "use strict";
  var form = document.getElementById("edit-plan");
  function openForm() {
    if (form && location.hash === "#edit-plan") {
      form.open = true;
      var first = form.querySelector("input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    }
  }
  window.addEventListener("hashchange", openForm);
  document.querySelectorAll('a[href="#edit-plan"]').forEach(function (a) {
    a.addEventListener("click", function () { setTimeout(openForm, 0); if (form) { form.open = true; } });
  });
  openForm();
  var share = document.getElementById("share-url");
  if (share) { share.addEventListener("focus", function () { share.select(); }); }
  // Printing shows the evidence: every folded box of the results opens for the print, then closes again.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".plan-results details:not([open]), .plan-answer details:not([open])").forEach(function (d) {
      d.open = true; reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; }); reopened = [];
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
