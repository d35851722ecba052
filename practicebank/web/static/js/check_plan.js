// /check-plan: a busy indicator while the file travels and is read, then the report computed a few
// projects at a time behind a progress bar. Without JavaScript the page answers in one go.
(function () {
  "use strict";
  var form = document.querySelector("form.check-plan-form");
  if (form) {
    var flag = form.querySelector("input[name=progress]");
    if (flag) { flag.value = "1"; }
    form.addEventListener("submit", function () {
      var busy = document.getElementById(form.getAttribute("data-busy"));
      if (busy) { busy.hidden = false; }
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      form.setAttribute("aria-busy", "true");
    });
  }
  var panel = document.querySelector(".progress-panel[data-step]");
  if (!panel) { return; }
  var bar = document.getElementById("check-progress");
  var text = document.getElementById("progress-text");
  var token = document.querySelector("input[name=csrf_token]");
  function show(done, total) {
    bar.max = total; bar.value = done; bar.textContent = done;
    text.textContent = text.getAttribute("data-template").replace("{done}", done).replace("{total}", total);
  }
  function step() {
    var headers = {"Accept": "application/json"};
    if (token) { headers["X-CSRFToken"] = token.value; }
    fetch(panel.getAttribute("data-step"), {method: "POST", headers: headers, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        show(state.done, state.total);
        if (state.complete) { window.location.assign(state.url); } else { step(); }
      })
      .catch(function () { window.location.assign(panel.getAttribute("data-result")); });
  }
  step();
}());
