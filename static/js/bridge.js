// dashapp bridge: the only script of ours in the app page.
// It accepts the dashboard's appContext message, forwards it to the server,
// swaps in the panel, and asks the dashboard for the context again when the
// agent could be looking at stale data.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("dashapp-config").textContent);
  // The access key opened this page; the session token in config replaces
  // it. Take it out of the address at once, so it is not in the history.
  if (/[?&]key=/.test(location.search)) {
    var clean = new URL(location.href);
    clean.searchParams.delete("key");
    history.replaceState(history.state, "", clean.pathname + clean.search + clean.hash);
  }
  var fetchInfo = config.fetchInfo; // "bevatel-dashboard-app:fetch-info", or Chatwoot's
  var panel = document.getElementById("panel");
  var root = document.documentElement;
  var lastContextAt = 0; // when the last appContext was accepted (ms)
  var lastAskAt = 0; // when fetch-info was last sent (ms)
  var inFlight = null; // AbortController of the pending POST /context
  // The agent's zone: the server shows dates in it unless the contact names
  // the customer's (handlers/zone.go).
  var agentZone = window.Intl ? Intl.DateTimeFormat().resolvedOptions().timeZone || "" : "";

  // Counted for the payload explorer: what arrived and why it was ignored.
  var stats = (window.dashappBridge = { accepted: 0, ignored: {}, log: [] });

  // A message as JSON text; "" when it has none (a cyclic or BigInt object).
  function asText(data) {
    if (typeof data === "string") return data;
    try {
      return JSON.stringify(data) || "";
    } catch (_) {
      return "";
    }
  }

  function record(event, reason) {
    if (reason) stats.ignored[reason] = (stats.ignored[reason] || 0) + 1;
    else stats.accepted++;
    var text = asText(event.data);
    var entry = { at: Date.now(), origin: event.origin, size: text.length, ignored: reason || "" };
    stats.log.push(entry);
    if (stats.log.length > 100) stats.log.shift(); // bounded, like every log here
    // An ignored message's first characters, as text, for the explorer.
    var preview = reason ? text.slice(0, 200) : "";
    document.dispatchEvent(new CustomEvent("dashapp:message", { detail: Object.assign({ preview: preview }, entry) }));
  }

  // The dashboard's appContext carried by event, or why it is not one.
  function classify(event) {
    if (event.source !== window.parent || window.parent === window) return { reason: "not-parent" };
    if (config.allowedOrigins.indexOf(event.origin) < 0) return { reason: "origin" };
    var message = event.data;
    if (typeof message === "string") {
      try {
        message = JSON.parse(message);
      } catch (_) {
        return { reason: "not-json" };
      }
    }
    if (!message || typeof message !== "object" || message.event !== "appContext") return { reason: "event" };
    if (!asText(event.data)) return { reason: "not-json" }; // an object JSON cannot hold
    return { reason: "", message: message };
  }

  window.addEventListener("message", function (event) {
    var verdict = classify(event);
    record(event, verdict.reason);
    if (verdict.reason) return;
    performance.mark("dashapp:context"); // timing marks for the paint benchmark
    lastContextAt = Date.now();
    var data = verdict.message.data;
    if (data && (data.theme === "dark" || data.theme === "light")) root.dataset.theme = data.theme; // older hosts send none
    // Forward what arrived as JSON text: a JSON string's content as it is
    // (the browser has unquoted it; re-quoting it cost the server an
    // unquote), an object (mobile clients) stringified. The header keeps
    // the host's form for the explorer.
    showContext(asText(event.data), typeof event.data === "string", event.origin);
  });

  // The session token (with an access key) and the explorer's page session.
  function sessionHeaders() {
    var headers = {};
    if (config.token) headers["X-Dashapp-Token"] = config.token;
    if (config.session) headers["X-Dashapp-Session"] = config.session;
    return headers;
  }

  function requestHeaders() {
    return Object.assign({ "Content-Type": "application/json", Accept: "text/html", "HX-Request": "true" }, sessionHeaders());
  }
  stats.headers = requestHeaders; // the explorer's requests belong to the same page session

  // The version of the panel shown (X-Dashapp-Version): the server answers
  // 204 when the context would render it again, and the DOM stays as it is.
  var version = "";

  function showContext(body, postedString, origin) {
    if (inFlight) inFlight.abort(); // a newer context (theme switch, refresh) wins
    var controller = (inFlight = new AbortController());
    panel.setAttribute("aria-busy", "true");
    var url = config.contextURL + "?lang=" + encodeURIComponent(config.lang) + "&tz=" + encodeURIComponent(agentZone);
    var headers = requestHeaders();
    headers["X-Dashapp-Origin"] = origin;
    if (postedString) headers["X-Dashapp-Posted-String"] = "1";
    if (version) headers["X-Dashapp-Version"] = version;
    fetch(url, { method: "POST", headers: headers, body: body, signal: controller.signal, credentials: "omit" })
      .then(function (response) {
        var next = response.headers.get("X-Dashapp-Version") || "";
        if (response.status === 204) return { version: next };
        return response.text().then(function (html) {
          return { version: next, html: html };
        });
      })
      .then(function (answer) {
        if (controller !== inFlight) return;
        var changed = answer.version !== version;
        version = answer.version;
        if (answer.html !== undefined) swapPanel(answer.html);
        if (changed) reloadOpenedSections();
        stats.unchanged = (stats.unchanged || 0) + (answer.html === undefined ? 1 : 0);
        requestAnimationFrame(function () {
          performance.mark("dashapp:frame"); // the frame that paints the panel
        });
        finish();
      })
      .catch(function (err) {
        if (err.name === "AbortError") return;
        version = "";
        showTemplate("tpl-offline");
        finish();
      });
  }

  // Swap in a server-rendered panel (a templ fragment, escaped there). When
  // it has the same parts as the one shown (its top-level elements, by id,
  // and the sections of #customer-panel), only the parts whose HTML changed
  // are replaced: the others keep their loaded pages, open details and focus.
  function swapPanel(html) {
    var content = fragment(html);
    var fresh = Array.prototype.slice.call(content.children);
    var shown = panel.children;
    fresh.forEach(remember);
    var same = fresh.length === shown.length && fresh.every(function (el, i) {
      return el.id && el.id === shown[i].id;
    });
    if (!same) {
      panel.replaceChildren(content);
      if (window.htmx) htmx.process(panel);
      return;
    }
    fresh.forEach(function (el, i) {
      update(shown[i], el);
    });
  }

  // fragment parses server HTML (escaped by templ) without running it.
  function fragment(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    return tpl.content;
  }

  // remember keeps a part's HTML as the server sent it, before any change
  // by the agent (pages loaded, details opened).
  function remember(el) {
    el.dashappHTML = el.outerHTML;
    if (el.id === "customer-panel") Array.prototype.forEach.call(el.children, remember);
  }

  function update(old, fresh) {
    if (old.dashappHTML === fresh.dashappHTML) return;
    if (fresh.id !== "customer-panel" || old.children.length !== fresh.children.length) {
      old.replaceWith(fresh);
      if (window.htmx) htmx.process(fresh);
      return;
    }
    Array.prototype.slice.call(old.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name)) old.removeAttribute(a.name);
    });
    Array.prototype.forEach.call(fresh.attributes, function (a) {
      old.setAttribute(a.name, a.value);
    });
    old.dashappHTML = fresh.dashappHTML;
    Array.prototype.slice.call(fresh.children).forEach(function (part, i) {
      update(old.children[i], part);
    });
  }

  // A section that loads its rows when opened (payments) keeps the rows of
  // the data it was opened on, and its server HTML does not change with
  // them. A new version means the data may have: such a section, once
  // loaded, goes back to its server HTML, open if it was, and opening it
  // loads its rows again.
  function reloadOpenedSections() {
    var parts = panel.querySelectorAll("#customer-panel > section");
    Array.prototype.forEach.call(parts, function (part) {
      var details = part.querySelector("details[hx-get]");
      if (!details || !part.dashappHTML || part.querySelector(".pending-row")) return;
      var fresh = fragment(part.dashappHTML).firstElementChild;
      fresh.dashappHTML = part.dashappHTML;
      part.replaceWith(fresh);
      if (window.htmx) htmx.process(fresh);
      if (details.open) fresh.querySelector("details").open = true; // its toggle event loads the rows
    });
  }

  function finish() {
    inFlight = null;
    panel.setAttribute("aria-busy", "false");
    updateFetchedAgo();
    document.dispatchEvent(new CustomEvent("dashapp:panel"));
  }

  // The header's search button opens the search above a matched customer;
  // when matching found nobody or several, the search is open already.
  var searchToggle = document.getElementById("search-toggle");
  function syncSearchToggle() {
    var finder = document.getElementById("finder");
    searchToggle.hidden = !finder;
    searchToggle.setAttribute("aria-expanded", String(!!finder && !finder.hidden));
  }
  document.addEventListener("dashapp:panel", syncSearchToggle);
  searchToggle.addEventListener("click", function () {
    var finder = document.getElementById("finder");
    if (!finder) return;
    finder.hidden = !finder.hidden;
    syncSearchToggle();
    if (!finder.hidden) document.getElementById("customer-search").focus();
  });

  function showTemplate(id) {
    var tpl = document.getElementById(id);
    if (tpl) panel.replaceChildren(tpl.content.cloneNode(true));
  }

  // Where fetch-info goes: the parent's concrete origin when the browser tells
  // us (ancestorOrigins), else each configured origin; postMessage drops it
  // silently for every origin that is not the parent's.
  function askTargets() {
    var ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length) {
      return config.allowedOrigins.indexOf(ancestors[0]) >= 0 ? [ancestors[0]] : [];
    }
    return config.allowedOrigins;
  }

  function askForContext(force) {
    var now = Date.now();
    if (!force && now - lastAskAt < 1000) return; // at most once a second
    lastAskAt = now;
    if (window.parent === window) return; // opened outside the dashboard
    askTargets().forEach(function (origin) {
      window.parent.postMessage(fetchInfo, origin);
    });
  }

  // Every js-refresh button (waiting, offline, error states) and the header's.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#refresh, .js-refresh");
    if (button) askForContext(true);
  });

  // The dashboard hides an inactive app with display:none, which fires no
  // resize or visibilitychange inside the frame; an IntersectionObserver sees it.
  // A hidden cross-site frame is not rendered, so the observer may never
  // report the hidden state: any report after the first that says visible
  // means the tab came back.
  var observed = false;
  new IntersectionObserver(function (entries) {
    var visible = entries[entries.length - 1].isIntersecting;
    if (visible && observed) askForContext(false);
    observed = true;
    stats.observations = (stats.observations || 0) + 1; // for the explorer and the tests
  }).observe(document.body);
  // The observer misses about half of Chromium's hides and shows (a
  // throttled hidden frame may never compute the hidden state), but a hidden
  // frame gets no animation frames at all: one asked for every second and
  // answered half a second late (a shown frame answers within a few
  // dozen ms) means the frame is shown again.
  var frameAskedAt = 0;
  setInterval(function () {
    if (frameAskedAt) return; // not answered yet: hidden, or still to come
    frameAskedAt = performance.now();
    requestAnimationFrame(function () {
      var late = performance.now() - frameAskedAt > 500;
      frameAskedAt = 0;
      if (late) askForContext(false);
    });
  }, 1000);
  window.addEventListener("focus", function () {
    askForContext(false);
  });

  // A contact's avatar URL that does not load (or that the CSP refuses)
  // would show a broken image: without it, the initials beneath show.
  document.addEventListener(
    "error",
    function (event) {
      if (event.target.matches && event.target.matches("img.avatar")) event.target.remove();
    },
    true
  );

  // htmx requests (load more) carry the same session headers.
  document.addEventListener("htmx:config:request", function (event) {
    Object.assign(event.detail.ctx.request.headers, sessionHeaders());
  });

  // Order detail: an order's number opens its detail in a row the bridge
  // adds beneath it, and closes it again. htmx loads the detail the first
  // time; a slot without a detail (a problem came back) loads again.
  var detailSlots = 0;
  function toggleOrder(button, open) {
    var slot = document.getElementById(button.getAttribute("aria-controls") || "");
    var orderRow = button.closest("tr");
    if (!slot && orderRow) {
      var added = document.createElement("tr");
      added.className = "detail-row";
      var cell = added.insertCell();
      cell.colSpan = orderRow.cells.length;
      slot = cell.appendChild(document.createElement("div"));
      slot.id = "order-detail-" + ++detailSlots;
      slot.className = "detail-slot";
      orderRow.after(added);
      button.setAttribute("aria-controls", slot.id);
    }
    var row = slot && slot.closest("tr");
    if (!row) return;
    button.setAttribute("aria-expanded", String(open));
    row.hidden = !open;
    if (!open || slot.querySelector(".order-detail") || slot.dataset.loading || !window.htmx) return;
    slot.dataset.loading = "true";
    var done = function () {
      delete slot.dataset.loading;
    };
    htmx.ajax("GET", button.dataset.detail, { source: button, target: slot, swap: "innerHTML", headers: sessionHeaders() }).then(done, done);
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".js-order-toggle");
    if (toggle) toggleOrder(toggle, toggle.getAttribute("aria-expanded") !== "true");
    var copy = event.target.closest && event.target.closest(".js-copy");
    if (copy) copyValue(copy);
  });
  // Escape inside an open detail closes it and returns to its order.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var row = event.target.closest(".detail-row");
    var slot = row && row.querySelector(".detail-slot");
    var toggle = slot && document.querySelector('[aria-controls="' + slot.id + '"]');
    if (!toggle) return;
    toggleOrder(toggle, false);
    toggle.focus();
  });

  // Copy buttons. The dashboard frames the app without
  // allow="clipboard-write", so navigator.clipboard is refused there:
  // copy from the button's read-only field with execCommand, inside the
  // click; failing that, try the async API; failing that too, show the
  // field selected, for the agent to copy by hand.
  function copyValue(button) {
    var box = button.parentNode;
    var field = box.querySelector(".copy-field");
    var status = box.querySelector(".copy-status");
    if (!field) return;
    var copied = function () {
      field.hidden = true;
      field.classList.remove("copy-offscreen");
      button.focus();
      status.textContent = button.dataset.copied;
      setTimeout(function () {
        status.textContent = "";
      }, 3000);
    };
    var byHand = function () {
      field.classList.remove("copy-offscreen");
      field.hidden = false;
      field.focus();
      field.select();
      status.textContent = button.dataset.manual;
    };
    field.classList.add("copy-offscreen");
    field.hidden = false;
    field.focus();
    field.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (_) {
      ok = false;
    }
    if (ok) return copied();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(copied, byHand);
    } else {
      byHand();
    }
  }

  // "fetched N seconds ago", in the page's language.
  var ago = document.getElementById("fetched-ago");
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(config.lang, { numeric: "auto" }) : null;
  function updateFetchedAgo() {
    if (!ago || !lastContextAt || !relative) return;
    var seconds = Math.round((Date.now() - lastContextAt) / 1000);
    ago.textContent = seconds < 60 ? relative.format(-seconds, "second") : relative.format(-Math.round(seconds / 60), "minute");
  }
  setInterval(updateFetchedAgo, 5000);

  // No context yet: ask after 500 ms, then explain after a few seconds.
  setTimeout(function () {
    if (!lastContextAt) askForContext(true);
  }, 500);
  setTimeout(function () {
    if (!lastContextAt) {
      showTemplate("tpl-waiting");
      panel.setAttribute("aria-busy", "false");
    }
  }, 3000);
})();
