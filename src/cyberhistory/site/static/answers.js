/* Answer boxes: each keeps its text in this browser (localStorage), per page and per box, and the
   page's answers can be downloaded as one text file or printed. Nothing is ever sent anywhere.
   Without this script the boxes still take text; the page says that nothing is kept. */
(function () {
  "use strict";
  // The page's language: its strings, from assets/strings.js where the page is not in English.
  var STRINGS = window.CYBERHISTORY_STRINGS || {};
  function _(s, v) {
    s = STRINGS[s] || s;
    return v ? s.replace(/%\((\w+)\)s/g, function (m, k) { return v[k]; }) : s;
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".answer-box textarea, textarea.organizer-field"));
  var choices = Array.prototype.slice.call(document.querySelectorAll("input.quiz-choice"));
  var groups = choices.reduce(function (names, input) {
    if (names.indexOf(input.name) < 0) names.push(input.name);
    return names;
  }, []);
  var tools = document.querySelector(".answer-tools");
  if ((!boxes.length && !choices.length) || !tools) return;
  var status = document.getElementById("answer-status");
  var page = location.pathname.split("/").pop() || "index.html";
  var store = null;
  try {
    store = window.localStorage;
    store.setItem("cyberhistory:test", "1");
    store.removeItem("cyberhistory:test");
  } catch (e) {
    store = null; // private mode or storage switched off: answers live only until the page closes
  }

  // Keyed by edition, page and box, not by folder: answers survive moving or re-downloading the site.
  function keyOf(box) { return "cyberhistory:answers:" + tools.dataset.edition + ":" + page + ":" + box.id; }
  function say(text) { status.textContent = text; }

  boxes.forEach(function (box) {
    if (store) box.value = store.getItem(keyOf(box)) || "";
    var timer = null;
    box.addEventListener("input", function () {
      if (!store) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        try {
          store.setItem(keyOf(box), box.value);
        } catch (e) {
          say(_("This browser could not keep your answer (its storage is full or off): download your answers now."));
        }
      }, 300);
    });
    // The printed page shows the whole answer, which a textarea would cut at its height.
    var printed = document.createElement("div");
    printed.className = "answer-printed";
    box.parentNode.appendChild(printed);
  });
  // A quiz question's choice is kept under its group's name, like a box's text under its id.
  function keyOfGroup(name) { return "cyberhistory:answers:" + tools.dataset.edition + ":" + page + ":" + name; }
  function chosen(name) {
    var picked = choices.filter(function (c) { return c.name === name && c.checked; })[0];
    return picked ? picked.value : "";
  }
  choices.forEach(function (input) {
    if (store && store.getItem(keyOfGroup(input.name)) === input.value) input.checked = true;
    input.addEventListener("change", function () {
      if (!store) return;
      try {
        store.setItem(keyOfGroup(input.name), input.value);
      } catch (e) {
        say(_("This browser could not keep your answer (its storage is full or off): download your answers now."));
      }
    });
  });
  if (!store) say(_("This browser does not keep answers between visits: download or print them before you leave."));

  function asText() {
    var title = document.querySelector("main h1");
    var lines = [(title ? title.textContent : document.title), _("My answers, %(when)s", { when: new Date().toLocaleString(document.documentElement.lang) }), ""];
    boxes.forEach(function (box) {
      lines.push(box.dataset.title, box.dataset.question || "", "", _("My answer:"), box.value || _("(no answer yet)"), "", "----", "");
    });
    groups.forEach(function (name) {
      var first = choices.filter(function (c) { return c.name === name; })[0];
      lines.push(first.dataset.title, first.dataset.question || "", "", _("My answer:") + " " + (chosen(name) || _("(no answer yet)")), "", "----", "");
    });
    return lines.join("\n");
  }

  var actions = {
    download: function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([asText()], { type: "text/plain;charset=utf-8" }));
      link.download = page.replace(/\.html$/, "") + "-my-answers.txt";
      document.body.appendChild(link);
      link.click();
      link.remove();
      say(_("Your answers were saved as %(file)s (see your downloads).", { file: link.download }));
    },
    print: function () { window.print(); },
    clear: function () {
      if (!window.confirm(_("Clear every answer on this page? This cannot be undone."))) return;
      boxes.forEach(function (box) {
        box.value = "";
        if (store) store.removeItem(keyOf(box));
      });
      choices.forEach(function (input) {
        input.checked = false;
        if (store) store.removeItem(keyOfGroup(input.name));
      });
      say(_("The answers on this page were cleared."));
    }
  };
  window.addEventListener("beforeprint", function () {
    boxes.forEach(function (box) { box.parentNode.querySelector(".answer-printed").textContent = box.value; });
  });
  tools.querySelector(".answer-buttons").hidden = false;
  tools.querySelector(".no-script").remove();
  tools.addEventListener("click", function (event) {
    var action = event.target.closest("button[data-action]");
    if (action) actions[action.dataset.action]();
  });
})();
