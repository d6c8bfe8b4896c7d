/* Self-checks (cyberhistory.selfcheck): check the chosen answers, mark each one right or not yet with
   its reason, and announce the score in the form's live region. Works from file://, sends nothing. */
(function () {
  "use strict";
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
        if (!choice) { feedback.textContent = "No answer yet."; return; }
        answered++;
        if (choice === item.dataset.answer) {
          right++;
          item.classList.add("right");
          feedback.textContent = "Right. " + item.dataset.reason;
        } else {
          item.classList.add("wrong");
          feedback.textContent = "Not yet. Look again at this event's entry.";
        }
      });
      var text = right + " of " + items.length + " right.";
      if (answered < items.length) text += " " + (items.length - answered) + " not answered yet.";
      else if (right < items.length) text += " Change the ones marked 'not yet' and check again.";
      else text += " Well done.";
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
