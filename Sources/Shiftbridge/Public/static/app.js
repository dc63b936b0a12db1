// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // The browser's time zone, for accounts that have not chosen one: remembered in a cookie
  // that the next page is rendered with.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var current = (document.cookie.match(/(?:^|; )tz=([^;]*)/) || [])[1];
    if (zone && decodeURIComponent(current || "") !== zone) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (ignored) {}
  // Stop double submits: disable a form's submit buttons once it is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // After this tick, so the pressed button's name and value are still sent.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  // Copy buttons: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  function csrf() {
    var field = document.querySelector("input[name=_csrf]");
    return field ? field.value : "";
  }
  function text(tag, content) {
    var node = document.createElement(tag);
    node.textContent = content;
    return node;
  }

  // How many employees each rule takes, as a preview answer says.
  function showPreview(target, body) {
    target.replaceChildren();
    if (body.error) {
      target.appendChild(text("p", body.error.message)).className = "flash flash-error";
      return;
    }
    var list = document.createElement("ul");
    body.rules.forEach(function (rule) { list.appendChild(text("li", rule.name + ": " + rule.matches + " employee(s)")); });
    target.appendChild(list);
    var roles = Object.keys(body.roles).sort().map(function (role) { return role + " " + body.roles[role]; }).join(", ");
    target.appendChild(text("p", "No rule matches " + body.unmatched + " employee(s). Roles: " + roles));
  }

  // Rules: a live preview of how many employees each rule takes, as the JSON is edited.
  var rules = document.querySelector("textarea[data-preview]");
  if (rules) {
    var target = document.getElementById("rules-preview");
    var timer;
    rules.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(rules.dataset.preview, { method: "POST", credentials: "same-origin", body: rules.value,
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() } })
          .then(function (response) { return response.json(); })
          .then(function (body) { showPreview(target, body); });
      }, 300);
    });
  }

  // The rule builder: the same preview, for the form as it stands.
  var builder = document.querySelector("form[data-preview-form]");
  if (builder) {
    var previewTarget = document.getElementById("rules-preview");
    var builderTimer;
    var refresh = function () {
      clearTimeout(builderTimer);
      builderTimer = setTimeout(function () {
        var body = new URLSearchParams(new FormData(builder));
        fetch(builder.dataset.previewForm, { method: "POST", credentials: "same-origin", body: body,
          headers: { "Content-Type": "application/x-www-form-urlencoded" } })
          .then(function (response) { return response.json(); })
          .then(function (body) { showPreview(previewTarget, body); });
      }, 300);
    };
    builder.addEventListener("input", refresh);
    builder.addEventListener("change", refresh);
  }

  // A run being applied: progress and counts, live, until it stops; then the page reloads.
  var live = document.querySelector("[data-live='1']");
  if (live) {
    var poll = setInterval(function () {
      fetch("/api/v1/provisioning/runs/" + live.dataset.run + "?items=false", { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (run) {
          var bar = document.getElementById("run-progress");
          bar.max = Math.max(run.progress.total, 1);
          bar.value = run.progress.completed;
          document.getElementById("run-progress-text").textContent = run.progress.completed + " of " + run.progress.total + " changes done";
          document.querySelectorAll("[data-report]").forEach(function (node) { node.textContent = run.report[node.dataset.report]; });
          if (run.status !== "running") {
            clearInterval(poll);
            window.location.reload();
          }
        });
    }, 1000);
  }
})();
