// dashapp host simulator: plays the Bevatel dashboard offline. It frames
// the app on the other loopback origin, posts it the appContext as a JSON
// string to "*" when the frame loads, and answers fetch-info only to the
// frame that asked. The same file runs the rogue page, a sibling frame that
// forges a context, so one can watch the app reject it.
(function () {
  "use strict";

  var forged = document.getElementById("forged");
  if (forged) {
    // Rogue sender: not the app's parent, on the simulator's own origin.
    var message = JSON.stringify(JSON.parse(JSON.parse(forged.textContent)));
    var sent = 0;
    var timer = setInterval(function () {
      if (parent.frames.app) parent.frames.app.postMessage(message, "*");
      if (++sent >= 3) clearInterval(timer);
    }, 200);
    return;
  }

  var config = JSON.parse(document.getElementById("simulator-config").textContent);
  // With an access key the simulator was opened with ?key=…; the frame and
  // the presets need it too. It stays in addresses, never in the page.
  var key = new URLSearchParams(location.search).get("key");
  function withKey(url) {
    return key ? url + (url.indexOf("?") < 0 ? "?" : "&") + "key=" + encodeURIComponent(key) : url;
  }
  var fetchInfo = config.fetchInfo;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var editor = $("editor");
  var errorBox = $("editor-error");
  var hostLog = $("host-log");
  var frame = null;
  var theme = "light";

  function log(text) {
    var item = document.createElement("li");
    item.textContent = new Date().toISOString().slice(11, 23) + " " + text;
    hostLog.prepend(item);
    while (hostLog.children.length > 200) hostLog.lastChild.remove();
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  // The editor's message, validated, with the chosen quirks applied; null
  // (and the error shown) when it cannot be sent.
  function payload() {
    var message;
    try {
      message = JSON.parse(editor.value);
    } catch (err) {
      showError("The editor does not hold valid JSON: " + err.message);
      return null;
    }
    if (!message || typeof message !== "object" || Array.isArray(message) || message.event !== "appContext" || !message.data || typeof message.data !== "object") {
      showError('The message must be an object like {"event": "appContext", "data": {...}}.');
      return null;
    }
    showError("");
    var data = message.data;
    data.theme = theme;
    if ($("empty-contact").checked) data.contact = {};
    if ($("older-host").checked) {
      delete data.currentAgent;
      delete data.customAttributes;
      delete data.theme;
    }
    return message;
  }

  // The schema report of a message, from the server: the same check the
  // app's explorer runs, shown under the editor.
  function check(message) {
    fetch(withKey(config.checkURL), { method: "POST", body: JSON.stringify(message), credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("check: HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        $("editor-report").innerHTML = html; // server-rendered templ fragment, escaped there
      })
      .catch(function (err) {
        showError(err.message);
      });
  }

  function send(reason) {
    var message = payload();
    if (!message || !frame) return;
    check(message);
    var asObject = $("as-object").checked;
    frame.contentWindow.postMessage(asObject ? message : JSON.stringify(message), "*");
    var contact = message.data.contact || {};
    log("→ appContext (" + reason + ", " + (asObject ? "object" : "string") + ", contact " + JSON.stringify(contact.name || null) + ", theme " + (message.data.theme || "none") + ")");
  }

  // As the dashboard does when the agent opens another conversation: a new
  // frame, which gets the context when it loads.
  function newFrame() {
    if (frame) frame.remove();
    $("rogue-slot").replaceChildren();
    frame = document.createElement("iframe");
    frame.name = "app";
    frame.id = "app";
    frame.title = "dashapp";
    var lang = $("sim-lang").value;
    frame.src = withKey(config.appURL + (lang === "en" ? "" : "?lang=" + lang));
    frame.style.width = $("sim-width").value ? $("sim-width").value + "px" : "";
    frame.addEventListener("load", function () {
      send("frame loaded");
    });
    $("frame-slot").replaceChildren(frame);
    log("frame created: " + config.appURL);
  }

  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow) return; // only the app is answered
    log("← " + JSON.stringify(event.data).slice(0, 200) + " from " + event.origin);
    if (event.data === fetchInfo) send("answer to fetch-info");
  });

  function loadPreset() {
    loadURL($("preset").value);
  }

  // A preset's message into the editor, then a new frame for it.
  function loadURL(url) {
    fetch(withKey(url), { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("preset: HTTP " + response.status);
        return response.text();
      })
      .then(function (text) {
        editor.value = text;
        newFrame();
      })
      .catch(function (err) {
        showError(err.message);
      });
  }

  $("preset").addEventListener("change", loadPreset);
  // As the agent does: the next conversation in the list, in a new frame.
  $("switch").addEventListener("click", function () {
    var select = $("preset");
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    log("switch to " + select.options[select.selectedIndex].text);
    loadPreset();
  });
  document.querySelectorAll(".js-state").forEach(function (button) {
    button.addEventListener("click", function () {
      log("state preset: " + button.dataset.state);
      loadURL(button.dataset.url);
    });
  });
  // The language is the frame's address (?lang=), so it takes a new frame;
  // the width is the pane's, as the dashboard resizes it.
  $("sim-lang").addEventListener("change", newFrame);
  $("sim-width").addEventListener("change", function () {
    if (frame) frame.style.width = this.value ? this.value + "px" : "";
    log("pane width " + (this.value ? this.value + " px" : "100%"));
  });
  $("send").addEventListener("click", function () {
    send("Send");
  });
  $("check").addEventListener("click", function () {
    var message = payload();
    if (message) check(message);
  });
  $("theme").addEventListener("click", function () {
    theme = theme === "dark" ? "light" : "dark";
    $("theme").setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    send("theme " + theme);
  });
  $("rogue").addEventListener("click", function () {
    var rogue = document.createElement("iframe");
    rogue.src = withKey(config.rogueURL);
    rogue.title = "rogue sender";
    rogue.className = "rogue";
    $("rogue-slot").replaceChildren(rogue);
    log("rogue frame created on " + location.origin + " (a sibling of the app, not its parent)");
  });
  $("load-file").addEventListener("change", function () {
    var file = this.files[0];
    if (!file) return;
    file.text().then(function (text) {
      editor.value = text;
      if (payload()) log("loaded " + file.name + " into the editor");
    });
  });

  newFrame();
})();
