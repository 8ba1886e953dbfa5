// dashapp payload explorer: the "Explorer" tab of the app page. It shows
// what this page received (GET /explorer, scoped to the page session the
// bridge sends), reports the messages the bridge ignored, and copies raw
// JSON. Loaded after bridge.js, only when the explorer is on.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("dashapp-config").textContent);
  var bridge = window.dashappBridge;
  var view = document.getElementById("explorer");
  var panel = document.getElementById("panel");
  var tabs = [document.getElementById("tab-panel"), document.getElementById("tab-explorer")];
  if (!config.explorerURL || !view || !bridge) return;
  var inspected = 0; // the entry the agent chose; 0 follows the latest

  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (tab === tabs[1]) load();
  }

  function load() {
    if (view.hidden) return;
    var url = config.explorerURL + "?lang=" + encodeURIComponent(config.lang) + (inspected ? "&entry=" + inspected : "");
    var headers = bridge.headers();
    delete headers["Content-Type"];
    fetch(url, { headers: headers, credentials: "omit" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        view.innerHTML = html; // server-rendered templ fragment, escaped there
      })
      .catch(function () {
        view.replaceChildren(document.getElementById("tpl-offline").content.cloneNode(true));
      });
  }

  tabs.forEach(function (tab) {
    tab.addEventListener("click", function () {
      select(tab);
    });
    // Arrow keys move between tabs, as in every tablist.
    tab.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      var next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
      next.focus();
      select(next);
      event.preventDefault();
    });
  });

  view.addEventListener("click", function (event) {
    var inspect = event.target.closest(".js-inspect");
    if (inspect) {
      inspected = Number(inspect.dataset.seq);
      load();
    }
    var download = event.target.closest("a[download]");
    if (download) {
      // With an access key the route needs the session token, which a plain
      // link cannot send: fetch the file and hand the browser a blob.
      event.preventDefault();
      fetch(download.href, { headers: bridge.headers(), credentials: "omit" })
        .then(function (response) {
          return response.blob();
        })
        .then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = download.getAttribute("download") || "payload.json";
          link.click();
          setTimeout(function () {
            URL.revokeObjectURL(link.href);
          }, 1000);
        });
    }
    var copy = event.target.closest(".js-copy");
    if (copy) {
      var text = document.getElementById(copy.dataset.copy).textContent;
      var status = view.querySelector(".copy-status");
      navigator.clipboard.writeText(text).then(
        function () {
          status.textContent = status.dataset.copied; // in the page's language
        },
        function () {
          status.textContent = status.dataset.refused;
        }
      );
    }
  });

  // An ignored message never reaches the server otherwise: report its
  // metadata and first characters, then refresh an open explorer. Reports
  // go in batches, at most one POST every 500 ms carrying up to 20, so a
  // chatty frame cannot flood the server or spend the session's rate limit;
  // the bridge's counters still count what a full batch leaves out.
  var pending = [];
  var flushTimer = 0;
  function flush() {
    flushTimer = 0;
    fetch(config.explorerURL + "/events", {
      method: "POST",
      headers: bridge.headers(),
      credentials: "omit",
      body: JSON.stringify(pending.splice(0)),
    }).then(load);
  }
  document.addEventListener("dashapp:message", function (event) {
    var m = event.detail;
    if (!m.ignored) return; // accepted ones are logged by POST /context
    if (pending.length < 20) pending.push({ origin: m.origin, size: m.size, reason: m.ignored, preview: m.preview });
    if (!flushTimer) flushTimer = setTimeout(flush, 500);
  });
  document.addEventListener("dashapp:panel", load);
})();
