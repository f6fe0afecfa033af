(function () {
  function activate(id, scroll) {
    document.querySelectorAll(".stmt.active").forEach(function (el) { el.classList.remove("active"); });
    var els = document.querySelectorAll('.stmt[data-statement="' + id + '"]');
    els.forEach(function (el) { el.classList.add("active"); });
    if (scroll) {
      var seen = {};
      els.forEach(function (el) {
        var col = el.closest(".col").id;
        if (!seen[col]) { seen[col] = true; el.scrollIntoView({block: "center", behavior: "smooth"}); }
      });
    }
  }
  function showFinding(id, scroll) {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    document.querySelectorAll(".finding.selected").forEach(function (el) { el.classList.remove("selected"); });
    var row = document.getElementById("finding-" + id);
    if (row) { row.classList.add("selected"); }
    var seen = {};
    document.querySelectorAll("[data-findings]").forEach(function (el) {
      if (el.getAttribute("data-findings").split(" ").indexOf(id) < 0) { return; }
      el.classList.add("hl");
      var col = el.closest(".col");
      if (scroll && col && !seen[col.id]) { seen[col.id] = true; el.scrollIntoView({block: "center"}); }
    });
  }
  document.addEventListener("click", function (ev) {
    var f = ev.target.closest("[data-finding]");
    if (f) { showFinding(f.getAttribute("data-finding"), true); return; }
    var piece = ev.target.closest("[data-findings]");
    if (piece) {
      var id = piece.getAttribute("data-findings").split(" ")[0];
      showFinding(id, false);
      var row = document.getElementById("finding-" + id);
      if (row) { row.scrollIntoView({block: "center"}); }
      return;
    }
    var t = ev.target.closest("[data-statement]");
    if (!t) { return; }
    if (t.tagName === "A") { ev.preventDefault(); }
    activate(t.getAttribute("data-statement"), true);
  });
})();
