// Attendance, progressively enhanced. Without this file every button is a plain form post
// that redirects back to the list; with it, the post happens in the background and only the
// dagdeel sections of the list are swapped for the server's fresh ones, so a busy morning is
// one tap per client without the page jumping. The server renders everything either way.
(function () {
  "use strict";

  var live = document.getElementById("att-live");

  function announce(text) {
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text.trim(); }, 50);
  }

  function showFlash(doc) {
    var main = document.getElementById("main");
    var old = main && main.querySelector(".flash");
    var fresh = doc.querySelector("#main .flash");
    if (old) old.remove();
    if (main && fresh) main.insertBefore(document.importNode(fresh, true), main.firstChild);
    return fresh ? fresh.textContent : "";
  }

  function swapErrors(doc) {
    var current = document.getElementById("att-errors");
    var fresh = doc.getElementById("att-errors");
    if (current) current.remove();
    if (!fresh) return null;
    var firstSection = document.querySelector("[data-att-section]");
    var node = document.importNode(fresh, true);
    if (firstSection) firstSection.parentNode.insertBefore(node, firstSection);
    return node;
  }

  function swapSections(doc) {
    var sections = doc.querySelectorAll("[data-att-section]");
    for (var i = 0; i < sections.length; i++) {
      var here = document.getElementById(sections[i].id);
      if (here) here.replaceWith(document.importNode(sections[i], true));
    }
  }

  function refocus(form, submitter) {
    var entry = form.closest("li[id]");
    var section = form.closest("[data-att-section]");
    var target = null;
    if (entry) {
      var fresh = document.getElementById(entry.id);
      if (fresh && submitter && submitter.value) target = fresh.querySelector('button[value="' + submitter.value + '"]');
      if (fresh && !target) target = fresh.querySelector("button");
    }
    if (!target && section) {
      var heading = document.querySelector("#" + section.id + " h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); target = heading; }
    }
    if (target) target.focus();
  }

  function busy(form, on) {
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-att-form") || form.dataset.plain === "1") return;
    if (!window.fetch || !window.DOMParser) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var data = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    busy(form, true);
    var section = form.closest("[data-att-section]") || document.querySelector("[data-att-section]");
    var listUrl = section ? section.getAttribute("data-att-url") : window.location.pathname + window.location.search;
    var posted = false;
    // The redirect is not followed by fetch: the page is fetched afresh below. (A followed
    // redirect would also be upgraded to https by the CSP's upgrade-insecure-requests on plain
    // http, e.g. in development.)
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    })
      .then(function (res) {
        if (res.type === "opaqueredirect" || (res.status >= 300 && res.status < 400)) {
          posted = true;
          return fetch(listUrl, { credentials: "same-origin" }).then(function (page) {
            if (!page.ok) throw new Error("status " + page.status);
            return page.text();
          });
        }
        if (res.status === 422) {
          posted = true;
          return res.text();
        }
        throw new Error("status " + res.status);
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        swapSections(doc);
        var errors = swapErrors(doc);
        var message = showFlash(doc);
        busy(form, false);
        if (errors) {
          errors.focus();
        } else {
          announce(message);
          refocus(form, submitter);
        }
      })
      .catch(function () {
        busy(form, false);
        // The change was made but the list could not be fetched: show the whole page afresh.
        if (posted) return window.location.assign(listUrl);
        // The post itself failed (403, 404, 500, offline): let the browser post and show the answer.
        form.dataset.plain = "1";
        if (submitter && form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
      });
  });

  // Narrow the extra-client list while typing; the search button still works without this.
  var search = document.getElementById("f-zoek");
  var select = document.getElementById("f-client_id");
  if (search && select) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().trim();
      for (var i = 0; i < select.options.length; i++) {
        var option = select.options[i];
        if (!option.value) continue;
        option.hidden = words !== "" && option.text.toLowerCase().indexOf(words) === -1;
      }
    });
  }

  // The transport list's print button only makes sense with script; it is hidden otherwise.
  var print = document.querySelector("[data-att-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
})();
