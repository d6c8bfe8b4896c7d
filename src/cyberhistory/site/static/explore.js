/* The timeline explorer (explore.html): all events on a zoomable timeline, with filters, details and a table.
 *
 * Plain DOM and SVG; nothing is fetched. The data is assets/explore-data.js (window.CYBERHISTORY_EXPLORE), a
 * script, not JSON, because browsers block fetch() from file://. Markers follow cyberhistory.timeline: a day
 * is a point, a month a short bar over its month, a year a pale band, a start-to-end a bar; colours are the
 * figures' colours of each kind.
 *
 * Keyboard: the timeline is one tab stop (arrow keys move and zoom it) and its markers one more, by a roving
 * tabindex: one marker is tabbable and arrow keys move the focus from event to event in date order, so
 * hundreds of markers cost two Tab presses. Real focus, not aria-activedescendant, which screen readers
 * support poorly in SVG. The table below is the plain alternative: every event shown, as a row and a link.
 *
 * Speed: one <path> per event in view (its marker in each of its lanes), reused from frame to frame;
 * redraws wait for the next animation frame; a long table is written in chunks.
 */
(function () {
  "use strict";
  // The page's language: its strings, from assets/strings.js where the page is not in English.
  var STRINGS = window.CYBERHISTORY_STRINGS || {};
  function _(s, v) {
    s = STRINGS[s] || s;
    return v ? s.replace(/%\((\w+)\)s/g, function (m, k) { return v[k]; }) : s;
  }
  var DATA = window.CYBERHISTORY_EXPLORE, root = document.getElementById("explore");
  if (!DATA || !root) return;
  var SVGNS = "http://www.w3.org/2000/svg", DAY = 86400000, YEAR = 365.25;
  var MONTHS = DATA.months;
  var FILTERS = ["kind", "tactic", "region", "campaign", "actor"];
  var FIELD = { kind: "kind", tactic: "tactics", region: "regions", campaign: "campaign", actor: "actors" };
  // Pixels: era names, then lanes (a name, then at most 5 rows of markers as in the figures), then the axis.
  var TOP = 30, LANE = 74, HEAD = 17, ROW = 11, ROWS = 5, AXIS = 26, SIDE = 6, R = 4.5;
  var HEIGHT = { month: 6, year: 10, span: 8 };
  var MIN_SPAN = 60, CHUNK = 500;

  function $(id) { return document.getElementById(id); }
  function day(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY; }
  function yearStart(y) { return Date.UTC(y, 0, 1) / DAY; }
  function yearOf(t) { return new Date(t * DAY).getUTCFullYear(); }
  var ENTITY = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ENTITY[c]; }); }
  function px(v) { return Math.round(v * 10) / 10; } // shorter path data, same drawing
  // The event a marker or a table button stands for, or null.
  function eventOf(el) {
    var i = el && el.getAttribute ? el.getAttribute("data-i") : null;
    return i === null ? null : events[+i];
  }
  function name(field, value) { return (DATA.names[field] || {})[value] || value; }
  function svg(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  }

  // Each event's time window in days since 1970 (x0 to x1, end exclusive), marker shape, search text, order.
  var events = DATA.events, total = events.length;
  events.forEach(function (e, i) {
    e.i = i;
    e.x0 = day(e.start[0]);
    e.x1 = (e.end ? day(e.end[1]) : day(e.start[1])) + 1;
    e.shape = e.end ? "span" : e.precision;
    e.hay = [e.title, e.label, e.summary].join("\n").toLowerCase();
  });
  var all = extent(events);

  var form = $("explore-filters"), plot = $("explore-plot"), rows = $("explore-rows");
  var controls = {};
  ["q", "from", "to", "lanes"].concat(FILTERS).forEach(function (k) { controls[k] = form.elements[k]; });
  var state = { lanes: "kind" }, shown = [], view = all, laneCount = 1, width = 0, drawn = new Map();
  var selected = null, rover = null, pending = false, tableJob = 0, lastHash = null, fitKey;
  var only = null; // a lesson figure's own events (#ids=a,b,c), kept until "Show all events" or "Clear filters"
  var stats = window.__exploreStats = {};

  var chart = svg("svg", { class: "timeline", tabindex: "0", role: "group", "aria-describedby": "explore-hint" });
  chart.innerHTML = "<g></g><g></g><g></g><g></g>"; // under the markers, year bands, markers, over them
  var under = chart.children[0], bands = chart.children[1], marks = chart.children[2], over = chart.children[3];
  var tip = $("explore-tip"), noneSelected = $("details-body").innerHTML; // what a hovered or focused marker is
  plot.prepend(chart);

  function extent(list) {
    if (!list.length) return null;
    var lo = Infinity, hi = -Infinity;
    list.forEach(function (e) { lo = Math.min(lo, e.x0); hi = Math.max(hi, e.x1); });
    var pad = Math.max((hi - lo) * 0.02, 15); // as cyberhistory.timeline pads its axis
    return { t0: lo - pad, t1: hi + pad };
  }

  // ---- Filters and the URL hash

  function readForm() {
    var s = { q: controls.q.value.trim().toLowerCase(), lanes: controls.lanes.value || "kind" };
    FILTERS.forEach(function (k) { s[k] = controls[k].value; });
    ["from", "to"].forEach(function (k) { s[k] = parseInt(controls[k].value, 10) || null; });
    return s;
  }

  function matches(e, s) {
    if (only && !only.has(e.id)) return false;
    for (var i = 0; i < FILTERS.length; i++) {
      var k = FILTERS[i], v = e[FIELD[k]];
      if (s[k] && (typeof v === "string" ? v !== s[k] : v.indexOf(s[k]) < 0)) return false;
    }
    // A period keeps the events whose date window overlaps it (cyberhistory.filters.between).
    if (s.from !== null && e.x1 <= yearStart(s.from)) return false;
    if (s.to !== null && e.x0 >= yearStart(s.to + 1)) return false;
    return !s.q || e.hay.indexOf(s.q) >= 0;
  }

  function toHash() {
    var parts = only ? ["ids=" + Array.from(only).join(",")] : [];
    FILTERS.concat(["from", "to"]).forEach(function (k) {
      if (state[k] !== null && state[k] !== "") parts.push(k + "=" + encodeURIComponent(state[k]));
    });
    if (state.q) parts.push("q=" + encodeURIComponent(controls.q.value.trim()));
    if (state.lanes !== "kind") parts.push("lanes=" + state.lanes);
    if (selected) parts.push("event=" + encodeURIComponent(selected.id));
    return parts.length ? "#" + parts.join("&") : "";
  }

  function writeHash() {
    var hash = toHash();
    if (hash === (location.hash || "") || (hash === "" && location.hash === "#")) return;
    lastHash = hash || "#";
    // replace(): a lesson's link stays one step in the history however many filters are tried after it.
    location.replace(hash || "#");
  }

  // Put a hash's view into the form; values that the menus do not offer are dropped, not guessed.
  function readHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at < 1) return;
      try { params[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1).replace(/\+/g, " ")); } catch (err) { /* skip */ }
    });
    ["q", "from", "to", "lanes"].concat(FILTERS).forEach(function (k) {
      var c = controls[k], v = params[k] || (k === "lanes" ? "kind" : "");
      c.value = v;
      if (c.value !== v) c.value = k === "lanes" ? "kind" : "";
    });
    var known = new Set(events.map(function (e) { return e.id; }));
    var ids = (params.ids || "").split(",").filter(function (id) { return known.has(id); });
    only = ids.length ? new Set(ids) : null;
    var event = params.event && events.filter(function (e) { return e.id === params.event; })[0];
    update({ select: event || null });
  }

  // Apply the form: filter, refit the view when the filters changed, draw, list, count, and keep the hash.
  function update(opts) {
    opts = opts || {};
    state = readForm();
    shown = events.filter(function (e) { return matches(e, state); });
    var key = JSON.stringify([state.q, state.from, state.to, only && only.size].concat(FILTERS.map(function (k) { return state[k]; })));
    if (key !== fitKey) { fitKey = key; fit(); }
    laneCount = DATA.lanes[state.lanes].length;
    if (opts.select !== undefined) selected = opts.select;
    if (selected && shown.indexOf(selected) < 0) selected = null;
    $("explore-count").textContent = _("%(shown)s of %(total)s events", { shown: shown.length, total: total });
    $("explore-only").hidden = !only;
    if (only) $("explore-only-count").textContent = only.size;
    showDetails(selected);
    if (selected && opts.select) reveal(selected);
    drawNow();
    drawTable();
    writeHash();
  }

  // The view shows the chosen years, or else all the events shown.
  function fit() {
    var box = extent(shown) || view, t0 = box.t0, t1 = box.t1;
    if (state.from !== null) t0 = yearStart(state.from) - 15;
    if (state.to !== null) t1 = yearStart(state.to + 1) + 15;
    if (t1 - t0 < MIN_SPAN) { var mid = (t0 + t1) / 2; t0 = mid - MIN_SPAN / 2; t1 = mid + MIN_SPAN / 2; }
    view = { t0: t0, t1: t1 };
  }

  // ---- Drawing

  function plotWidth() { return Math.max(width - 2 * SIDE, 50); }
  function x(t) { return SIDE + (t - view.t0) / (view.t1 - view.t0) * plotWidth(); }
  function height() { return TOP + laneCount * LANE + AXIS; }

  function requestDraw() { if (!pending) requestAnimationFrame(drawNow); pending = true; }

  // Everything but the markers, rebuilt each frame (a few dozen elements): under the markers the eras (shaded
  // as the figures do when more than eight years are in view), grid lines and lane rules; over them the names
  // and the date axis, in years, or in months once a month is wide enough to name.
  function drawFrame() {
    var h = height(), bottom = h - AXIS, t0 = view.t0, t1 = view.t1, right = SIDE + plotWidth();
    var perYear = plotWidth() / (t1 - t0) * YEAR, y0 = yearOf(t0), y1 = yearOf(t1), below = "", above = "";
    function line(x1, x2, y1, y2, colour) {
      return '<line x1="' + x1 + '" x2="' + x2 + '" y1="' + y1 + '" y2="' + y2 + '" stroke="' + colour + '"/>';
    }
    function text(px, py, label, attrs) { return "<text x=\"" + px + '" y="' + py + '"' + (attrs || "") + ">" + esc(label) + "</text>"; }
    if ((t1 - t0) / YEAR > 8) {
      DATA.eras.forEach(function (era, i) {
        var a = Math.max(x(yearStart(era.from)), SIDE), b = Math.min(x(yearStart(era.to + 1)), right);
        if (b <= a) return;
        if (i % 2 === 0) below += '<rect x="' + a + '" y="' + TOP + '" width="' + (b - a) + '" height="' + (bottom - TOP) + '" fill="#f2f2f2"/>';
        // A name that would run off the right edge ends there instead (about 6 px a character).
        var end = a + 6 * era.name.length > right ? ' text-anchor="end"' : "";
        if (b - a > 40) above += text(end ? right - 3 : a + 3, i % 2 ? 25 : 12, era.name, ' class="era"' + end);
      });
    }
    function tick(t, label, major) {
      var px = x(t);
      if (px < SIDE - 1 || px > right + 1) return;
      below += line(px, px, TOP, bottom + 4, major ? "#c8c8c8" : "#e6e6e6");
      above += text(px, bottom + 17, label, ' text-anchor="middle"' + (major ? ' font-weight="700"' : ""));
    }
    if (perYear >= 4 * 40) { // months, or quarters while a month is too narrow to name
      var step = perYear / 12 >= 34 ? 1 : 3;
      for (var y = y0; y <= y1; y++) for (var m = 0; m < 12; m += step) tick(Date.UTC(y, m, 1) / DAY, m ? MONTHS[m] : String(y), !m);
    } else {
      var every = [1, 2, 5, 10, 20].filter(function (n) { return n * perYear >= 44; })[0] || 20;
      for (var z = Math.ceil(y0 / every) * every; z <= y1; z += every) tick(yearStart(z), String(z), true);
    }
    DATA.lanes[state.lanes].forEach(function (l, i) {
      var top = TOP + i * LANE, colour = state.lanes === "kind" && DATA.colours[l.value];
      below += line(0, width, top + LANE, top + LANE, "#d8dee4");
      if (colour) above += '<circle cx="' + (SIDE + 5) + '" cy="' + (top + 10) + '" r="5" fill="' + colour + '"/>';
      above += text(SIDE + (colour ? 14 : 0), top + 14, l.name, ' class="lane-name"');
    });
    above += line(SIDE, right, bottom, bottom, "#595959");
    if (!shown.length) above += text(width / 2, TOP + 40, _("No event matches these filters."), ' class="empty" text-anchor="middle"');
    under.innerHTML = below;
    over.innerHTML = above;
  }

  // The marker of one event in one lane row, as path data (a circle is two arcs), clipped to the plot.
  function shapeAt(e, y, a, b) {
    if (e.shape === "day") {
      return "M" + px(a) + " " + y + "a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0 -9 0Z";
    }
    var half = HEIGHT[e.shape] / 2, lo = px(Math.max(a, -10)), hi = px(Math.min(Math.max(b, a + 3), width + 10));
    return "M" + lo + " " + (y - half) + "H" + hi + "V" + (y + half) + "H" + lo + "Z";
  }

  function drawNow() {
    pending = false;
    if (!width) width = plot.clientWidth || 800; // read only after a resize: reading forces a layout
    chart.setAttribute("height", height());
    chart.setAttribute("viewBox", "0 0 " + width + " " + height());
    var t0 = view.t0, t1 = view.t1, inView = [], ends = [], seen = new Set();
    for (var l = 0; l < laneCount; l++) ends.push([]);
    // First-fit packing in pixels, as cyberhistory.timeline packs in time: markers that would overlap go on
    // different rows of their lane; once all rows are taken, on the row that frees up first.
    shown.forEach(function (e) {
      if (e.x1 < t0 || e.x0 > t1) return;
      var a = e.shape === "day" ? x(e.x0 + 0.5) - R : x(e.x0), b = e.shape === "day" ? a + 2 * R : x(e.x1);
      var right = Math.max(b, a + 6) + 1, d = "";
      e.lanes[state.lanes].forEach(function (lane) { // the lanes Python chose, by the figures' rule
        var rowEnds = ends[lane], row = -1;
        for (var r = 0; r < rowEnds.length; r++) if (rowEnds[r] <= a) { row = r; break; }
        if (row < 0 && rowEnds.length < ROWS) row = rowEnds.push(0) - 1;
        if (row < 0) row = rowEnds.indexOf(Math.min.apply(null, rowEnds));
        rowEnds[row] = Math.max(rowEnds[row], right);
        d += shapeAt(e, TOP + lane * LANE + HEAD + row * ROW + ROW / 2, a, b);
      });
      if (!d) return;
      inView.push(e);
      seen.add(e);
      marker(e).setAttribute("d", d);
    });
    var lost = false;
    drawn.forEach(function (el, e) {
      if (seen.has(e)) return;
      if (el === document.activeElement) lost = true;
      el.remove();
      drawn.delete(e);
    });
    if (lost) chart.focus();
    setRover(rover && seen.has(rover) ? rover : selected && seen.has(selected) ? selected : inView[0] || null);
    drawFrame();
    var inset = Math.max((t1 - t0) / 60, 16), first = yearOf(t0 + inset), last = yearOf(t1 - inset); // not the padding
    var period = first === last ? String(first) : _("%(first)s to %(last)s", { first: first, last: last });
    $("explore-period").textContent = _("Showing %(period)s", { period: period });
    chart.setAttribute("aria-label", _("Timeline, %(period)s: %(n)s events drawn", { period: period, n: inView.length }));
    // Marks for the benchmark and the tests: when the timeline was (first) drawn, and with how many markers.
    stats.drawnAt = performance.now();
    stats.markers = inView.length;
    if (window.__exploreReady === undefined) window.__exploreReady = stats.drawnAt;
  }

  // The event's <path>, created the first time it is drawn, then reused while it stays in view.
  function marker(e) {
    var el = drawn.get(e);
    if (el) return el;
    el = svg("path", {
      class: "ev " + e.shape, fill: DATA.colours[e.kind] || DATA.muted, role: "button", tabindex: "-1",
      "data-i": e.i, "aria-label": e.label + ", " + e.when + ", " + name("kind", e.kind),
    });
    (e.shape === "year" ? bands : marks).appendChild(el); // pale bands under the other markers
    drawn.set(e, el);
    if (e === selected) flag(e, true);
    return el;
  }

  function setRover(e) {
    if (rover && drawn.has(rover)) drawn.get(rover).setAttribute("tabindex", "-1");
    rover = e;
    if (rover) drawn.get(rover).setAttribute("tabindex", "0");
  }

  // ---- Selecting an event: details panel, table row, marker

  function flag(e, on) {
    var el = e && drawn.get(e), row = e && rows.querySelector('tr[data-i="' + e.i + '"]');
    if (row) row.classList.toggle("sel", on);
    if (!el) return;
    el.classList.toggle("sel", on);
    if (on) el.setAttribute("aria-current", "true");
    else el.removeAttribute("aria-current");
  }

  function select(e, opts) {
    opts = opts || {};
    flag(selected, false);
    selected = e;
    flag(e, true);
    if (e && drawn.has(e)) setRover(e);
    showDetails(e);
    if (opts.reveal) { reveal(e); drawNow(); }
    if (opts.focusDetails) $("details-title").focus(); // focus() scrolls the panel into view
    writeHash();
  }

  // Bring an event into view, keeping the zoom (or zooming out if it is wider than the view).
  function reveal(e) {
    var span = view.t1 - view.t0;
    if (e.x0 >= view.t0 && e.x1 <= view.t1) return;
    span = Math.max(span, (e.x1 - e.x0) * 1.2);
    var mid = (e.x0 + e.x1) / 2;
    view = { t0: mid - span / 2, t1: mid + span / 2 };
  }

  function dateText(e) {
    var p = e.precision, q = e.end_precision;
    return e.when + (e.end && q !== p ? " (start known to the " + p + ", end to the " + q + ")" : " (known to the " + p + ")");
  }

  function showDetails(e) {
    var body = $("details-body");
    if (!e) { body.innerHTML = noneSelected; return; }
    var facts = [[_("Kind"), name("kind", e.kind)]];
    if (e.campaign) facts.push([_("Campaign"), name("campaign", e.campaign)]);
    [[_("Actors"), "actor", e.actors], [_("Tactics"), "tactic", e.tactics], [_("Target regions"), "region", e.regions]].forEach(function (f) {
      if (f[2].length) facts.push([f[0], f[2].map(function (v) { return name(f[1], v); }).join(", ")]);
    });
    body.innerHTML = '<h3 id="details-title" tabindex="-1">' + esc(e.title) + "</h3>" +
      '<p class="when">' + esc(dateText(e)) + "</p><dl>" +
      facts.map(function (f) { return "<dt>" + esc(f[0]) + "</dt><dd>" + esc(f[1]) + "</dd>"; }).join("") + "</dl>" +
      "<p>" + esc(e.summary) + "</p>" +
      '<p><a href="' + esc(e.href) + '">' + esc(_("Full entry, with its sources")) + "</a></p>";
  }

  // ---- The events table: exactly the events shown, written in chunks

  function rowHtml(e) {
    return '<tr data-i="' + e.i + '"' + (e === selected ? ' class="sel"' : "") + "><td>" + esc(e.when) +
      '<td><a href="' + esc(e.href) + '">' + esc(e.title) + "</a><td>" + esc(name("kind", e.kind)) +
      '<td><button type="button" data-i="' + e.i + '" aria-label="' + esc(_("Show on the timeline: %(label)s", { label: e.label })) + '">' + esc(_("Show")) + "</button>";
  }

  // A long table (before or after) is rewritten only after the timeline has been painted, then in chunks,
  // one per frame: replacing thousands of rows costs more than drawing the timeline.
  function drawTable() {
    var job = ++tableJob, list = shown, at = 0, long = list.length > CHUNK || rows.rows.length > CHUNK;
    function more() {
      if (job !== tableJob) return; // the filters changed: a newer table is being written
      if (!at) rows.innerHTML = "";
      var next = Math.min(at + (at ? 4 * CHUNK : CHUNK), list.length);
      rows.insertAdjacentHTML("beforeend", list.slice(at, next).map(rowHtml).join(""));
      at = next;
      if (at < list.length) requestAnimationFrame(more);
      else stats.tableAt = performance.now();
    }
    if (long) requestAnimationFrame(function () { setTimeout(more); });
    else more();
  }

  // ---- Zoom and pan: buttons, keys, wheel, drag and pinch

  function zoom(factor, centre) {
    var span = view.t1 - view.t0, limit = (all.t1 - all.t0) * 1.5;
    var next = Math.min(Math.max(span * factor, MIN_SPAN), limit);
    if (centre === undefined) centre = (view.t0 + view.t1) / 2;
    var t0 = centre - (centre - view.t0) * next / span;
    move({ t0: t0, t1: t0 + next });
  }

  function pan(days) { move({ t0: view.t0 + days, t1: view.t1 + days }); }

  // Keep some of the events' period in view: the view may not wander off into empty decades.
  function move(next) {
    var span = next.t1 - next.t0, shift = 0;
    if (next.t1 < all.t0 + span / 4) shift = all.t0 + span / 4 - next.t1;
    if (next.t0 > all.t1 - span / 4) shift = all.t1 - span / 4 - next.t0;
    view = { t0: next.t0 + shift, t1: next.t1 + shift };
    requestDraw();
  }

  function timeAt(clientX) {
    var box = chart.getBoundingClientRect();
    return view.t0 + (clientX - box.left - SIDE) / plotWidth() * (view.t1 - view.t0);
  }

  $("zoom-in").addEventListener("click", function () { zoom(1 / 1.6); });
  $("zoom-out").addEventListener("click", function () { zoom(1.6); });
  $("zoom-reset").addEventListener("click", function () { fit(); requestDraw(); });

  chart.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var unit = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? 400 : 1;
    if (Math.abs(ev.deltaX) > Math.abs(ev.deltaY) || ev.shiftKey) {
      pan((ev.deltaX || ev.deltaY) * unit / plotWidth() * (view.t1 - view.t0));
    } else {
      zoom(Math.pow(1.0015, ev.deltaY * unit), timeAt(ev.clientX));
    }
  }, { passive: false });

  // One pointer drags the view, two pinch it; a press that hardly moved on a marker selects that event.
  var pointers = new Map(), pressed = null, travelled = 0;
  chart.addEventListener("pointerdown", function (ev) {
    if (ev.button > 0) return;
    chart.setPointerCapture(ev.pointerId);
    pointers.set(ev.pointerId, ev.clientX);
    if (pointers.size === 1) { pressed = ev.target; travelled = 0; }
  });
  chart.addEventListener("pointermove", function (ev) {
    if (!pointers.has(ev.pointerId)) return hover(ev);
    var before = pointers.get(ev.pointerId), span = view.t1 - view.t0;
    if (pointers.size === 1) {
      travelled += Math.abs(ev.clientX - before);
      pan(-(ev.clientX - before) / plotWidth() * span);
    } else {
      var xs = Array.from(pointers.values()), other = xs[0] === before ? xs[1] : xs[0];
      var gap = Math.abs(before - other), nextGap = Math.abs(ev.clientX - other);
      travelled = Infinity;
      if (gap > 10 && nextGap > 10) zoom(gap / nextGap, timeAt((ev.clientX + other) / 2));
    }
    pointers.set(ev.pointerId, ev.clientX);
  });
  function release(ev) {
    if (!pointers.delete(ev.pointerId) || pointers.size) return;
    if (travelled < 5 && eventOf(pressed) && ev.type === "pointerup") select(eventOf(pressed));
    pressed = null;
  }
  chart.addEventListener("pointerup", release);
  chart.addEventListener("pointercancel", release);
  chart.addEventListener("pointerleave", function () { tip.hidden = true; });

  function hover(ev) { showTip(eventOf(ev.target), ev.clientX, ev.clientY); }

  function showTip(e, cx, cy) {
    var box = plot.getBoundingClientRect();
    tip.hidden = !e;
    if (!e) return;
    tip.textContent = e.label + " \u00b7 " + e.when;
    tip.style.left = Math.min(cx - box.left + 12, box.width - tip.offsetWidth) + "px";
    var top = cy - box.top - tip.offsetHeight - 10; // above the point, or below it near the top edge
    tip.style.top = (top < 0 ? cy - box.top + 18 : top) + "px";
  }

  chart.addEventListener("focusin", function (ev) {
    var b = ev.target.getBoundingClientRect();
    showTip(eventOf(ev.target), b.left, b.top - 4);
  });
  chart.addEventListener("focusout", function () { tip.hidden = true; });

  // Keys on the timeline: ← → move it, ↑ ↓ (or + −) zoom, 0 or Home refit. On a focused marker: ← → (or ↑ ↓)
  // go to the previous and next event shown, Home and End to the first and last, Enter or Space select it,
  // + and − zoom around it, Escape returns to the timeline.
  chart.addEventListener("keydown", function (ev) {
    var e = eventOf(ev.target), k = ev.key, span = view.t1 - view.t0, at = shown.indexOf(e), next = null;
    if (k === "+" || k === "=" || (!e && k === "ArrowUp")) zoom(1 / 1.6, e ? (e.x0 + e.x1) / 2 : undefined);
    else if (k === "-" || (!e && k === "ArrowDown")) zoom(1.6, e ? (e.x0 + e.x1) / 2 : undefined);
    else if (!e && (k === "ArrowLeft" || k === "ArrowRight")) pan(k === "ArrowLeft" ? -span / 8 : span / 8);
    else if (!e && (k === "0" || k === "Home")) { fit(); requestDraw(); }
    else if (!e) return;
    else if (k === "ArrowRight" || k === "ArrowDown") next = shown[at + 1];
    else if (k === "ArrowLeft" || k === "ArrowUp") next = shown[at - 1];
    else if (k === "Home" || k === "End") next = shown[k === "Home" ? 0 : shown.length - 1];
    else if (k === "Enter" || k === " ") select(e);
    else if (k === "Escape") chart.focus();
    else return;
    ev.preventDefault();
    if (!next) return;
    reveal(next);
    drawNow(); // at once, so the next marker exists to take the focus
    setRover(next);
    drawn.get(next).focus();
  });

  // ---- Wiring

  rows.addEventListener("click", function (ev) {
    if (ev.target.tagName === "BUTTON") select(eventOf(ev.target), { reveal: true, focusDetails: true });
  });
  var typing = 0;
  form.addEventListener("input", function (ev) {
    if (ev.target.tagName === "SELECT") return;
    clearTimeout(typing);
    typing = setTimeout(update, 200); // one update, and one announcement of the count, per pause in typing
  });
  form.addEventListener("change", function (ev) { if (ev.target.tagName === "SELECT") update(); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearTimeout(typing); update(); });
  form.addEventListener("reset", function () { only = null; setTimeout(function () { update({ select: null }); }); });
  $("explore-all").addEventListener("click", function () { only = null; update(); });
  window.addEventListener("hashchange", function () {
    if (location.hash !== lastHash && !(location.hash === "" && lastHash === "#")) readHash();
  });
  window.addEventListener("resize", function () { width = 0; requestDraw(); });

  root.hidden = false;
  readHash();
})();
