/* Self-checks (cyberhistory.selfcheck): check the chosen answers, mark each one right or not yet with
   its reason, and announce the score in the form's live region. Works from file://, sends nothing. */
(function () {
  "use strict";
  // The page's language: its strings, from assets/strings.js where the page is not in English.
  var STRINGS = window.CYBERHISTORY_STRINGS || {};
  function _(s, v) {
    s = STRINGS[s] || s;
    return v ? s.replace(/%\((\w+)\)s/g, function (m, k) { return v[k]; }) : s;
  }
  document.querySelectorAll("form.self-check").forEach(function (form) {
    var items = Array.prototype.slice.call(form.querySelectorAll(".self-check-items > li"));
    var result = form.querySelector(".self-check-result");
    form.querySelector(".self-check-buttons").hidden = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var right = 0, answered = 0;
      items.forEach(function (item) {
        var choice = item.querySelector("select").value, feedback = item.querySelector(".self-check-feedback");
        item.classList.remove("right", "wrong");
        if (!choice) { feedback.textContent = _("No answer yet."); return; }
        answered++;
        if (choice === item.dataset.answer) {
          right++;
          item.classList.add("right");
          feedback.textContent = _("Right.") + " " + item.dataset.reason;
        } else {
          item.classList.add("wrong");
          feedback.textContent = _("Not yet. Look again at this event's entry.");
        }
      });
      var text = _("%(right)s of %(total)s right.", { right: right, total: items.length });
      if (answered < items.length) text += " " + _("%(left)s not answered yet.", { left: items.length - answered });
      else if (right < items.length) text += " " + _("Change the ones marked 'not yet' and check again.");
      else text += " " + _("Well done.");
      result.textContent = text;
    });

    form.addEventListener("reset", function () {
      items.forEach(function (item) {
        item.classList.remove("right", "wrong");
        item.querySelector(".self-check-feedback").textContent = "";
      });
      result.textContent = "";
    });
  });
})();
