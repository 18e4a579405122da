// mockhub dashboard: confirmations, copy buttons and the live journal.
// Everything works without it but the live rows.
(function () {
  "use strict";

  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  });

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("[data-copy]");
    if (!btn) {
      return;
    }
    var src = document.getElementById(btn.getAttribute("data-copy"));
    if (!src) {
      return;
    }
    var done = function () {
      btn.textContent = "Copied";
      setTimeout(function () { btn.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(src.value).then(done, function () {});
    } else {
      src.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* select is enough */ }
    }
  });

  var table = document.getElementById("requests");
  if (!table || !window.EventSource) {
    return;
  }
  var body = table.tBodies[0];
  var status = document.getElementById("live-status");
  var limit = parseInt(table.getAttribute("data-limit"), 10) || 100;
  var url = table.getAttribute("data-stream");
  url += (url.indexOf("?") < 0 ? "?" : "&") + "after=" + encodeURIComponent(table.getAttribute("data-after"));
  var source = new EventSource(url);
  source.addEventListener("open", function () {
    if (status) { status.textContent = "Live"; }
  });
  source.addEventListener("error", function () {
    if (status) { status.textContent = "Reconnecting…"; }
  });
  source.addEventListener("request", function (ev) {
    // The row was rendered by the server with html/template: every value
    // in it is escaped.
    body.insertAdjacentHTML("afterbegin", ev.data);
    var empty = document.getElementById("no-requests");
    if (empty) { empty.remove(); }
    while (body.rows.length > limit) {
      body.deleteRow(body.rows.length - 1);
    }
  });
})();
