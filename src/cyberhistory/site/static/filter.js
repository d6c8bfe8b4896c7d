/* The data page's event filter: a search box and a kind menu over the table (the table works without it). */
(function () {
  // The page's language: its strings, from assets/strings.js where the page is not in English.
  var STRINGS = window.CYBERHISTORY_STRINGS || {};
  function _(s, v) {
    s = STRINGS[s] || s;
    return v ? s.replace(/%\((\w+)\)s/g, function (m, k) { return v[k]; }) : s;
  }
  var form = document.getElementById("filter");
  if (!form) return;
  var text = document.getElementById("filter-text"), kind = document.getElementById("filter-kind"),
      count = document.getElementById("filter-count"), rows = document.querySelectorAll("#events tr");
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  function update() {
    var q = text.value.toLowerCase(), k = kind.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!k || r.cells[2].textContent === k) && (!q || r.textContent.toLowerCase().indexOf(q) >= 0);
      r.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = _("%(shown)s of %(total)s events shown", { shown: shown, total: rows.length });
  }
  text.addEventListener("input", update);
  kind.addEventListener("change", update);
  update();
})();
