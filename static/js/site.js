/*
 * Ruspolitikk: small enhancements on top of htmx. The pages work without this file.
 *
 * - The grid's evidence panel: a cell link's htmx response is swapped into a <dialog>; we open
 *   it, move focus to its heading, and on close return focus to the cell link that opened it.
 * - Clean addresses: empty form fields (a stance select left at "Alle") are dropped from htmx
 *   GET requests, so the pushed URL reads ?standpunkt=sproyterom:for, not ?standpunkt=&standpunkt=….
 * - Status for screen readers: after an htmx swap, the swapped region's [data-status] text is
 *   copied into the page's persistent aria-live region (#live-status), which is announced.
 * - Phones: the filter panel is long, so an open one would push the results out of sight. On a
 *   narrow screen it starts closed, and applying it ("Vis") closes it and brings the results up.
 * - The valgomat, one question at a time: after a step is swapped in, focus moves to its question
 *   ([data-focus-after-swap]) so keyboard and screen-reader users continue from there.
 * - "Kopier lenke" next to a cell's permanent link copies it and says so in the cell's live region
 *   (the button is hidden without JavaScript; the link itself always works).
 */
(function () {
  "use strict";

  var opener = null;

  document.addEventListener("htmx:configRequest", function (event) {
    var formData = event.detail.formData;
    if (event.detail.verb !== "get" || !formData) {
      return;
    }
    var kept = [];
    formData.forEach(function (value, name) {
      if (value !== "") {
        kept.push([name, value]);
      }
    });
    Array.from(new Set(Array.from(formData.keys()))).forEach(function (name) {
      formData.delete(name);
    });
    kept.forEach(function (pair) {
      formData.append(pair[0], pair[1]);
    });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.hasAttribute && element.hasAttribute("data-opens-panel")) {
      opener = element;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) {
      return;
    }
    if (target.id === "evidence-content") {
      var dialog = document.getElementById("evidence-dialog");
      if (dialog && !dialog.open) {
        dialog.showModal();
      }
      var heading = target.querySelector("h1, h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
      return;
    }
    var status = target.querySelector("[data-status]");
    var live = document.getElementById("live-status");
    if (status && live) {
      live.textContent = status.textContent.replace(/\s+/g, " ").trim();
    }
  });

  // Focus moves once htmx has settled the swap (after its own focus and scroll handling), so
  // nothing moves it back.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var focus = target && target.querySelector("[data-focus-after-swap]");
    if (focus) {
      focus.focus();
    }
  });

  function setUpDialog() {
    var dialog = document.getElementById("evidence-dialog");
    if (!dialog || dialog.dataset.ready) {
      return;
    }
    dialog.dataset.ready = "1";
    dialog.addEventListener("close", function () {
      var content = document.getElementById("evidence-content");
      if (content) {
        content.textContent = "";
      }
      if (opener && document.body.contains(opener)) {
        opener.focus();
      }
      opener = null;
    });
    // A click on the backdrop (outside the panel's box) closes it, as Escape does.
    dialog.addEventListener("click", function (event) {
      if (event.target !== dialog) {
        return;
      }
      var box = dialog.getBoundingClientRect();
      var inside =
        event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) {
        dialog.close();
      }
    });
  }

  var phone = window.matchMedia("(max-width: 760px)");
  var applied = false;

  function closeFilterPanelOnPhones() {
    var panel = document.querySelector(".filter-panel");
    if (panel && panel.open && phone.matches) {
      panel.open = false;
    }
  }

  document.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("filters")) {
      applied = true;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!applied || !event.detail.target || event.detail.target.id !== "results") {
      return;
    }
    applied = false;
    if (phone.matches) {
      closeFilterPanelOnPhones();
      event.detail.target.scrollIntoView();
    }
  });

  function showCopyButtons(root) {
    (root || document).querySelectorAll("button[data-copy-link]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy-link]");
    if (!button) {
      return;
    }
    var link = document.getElementById(button.getAttribute("data-copy-link"));
    var status = button.parentNode.querySelector("[data-copy-status]");
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    if (!link || !navigator.clipboard) {
      say(button.getAttribute("data-failed"));
      return;
    }
    navigator.clipboard.writeText(link.href).then(
      function () { say(button.getAttribute("data-copied")); },
      function () { say(button.getAttribute("data-failed")); }
    );
  });

  document.addEventListener("DOMContentLoaded", function () {
    closeFilterPanelOnPhones();
    showCopyButtons(document);
  });
  document.addEventListener("htmx:load", function (event) {
    showCopyButtons(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", setUpDialog);
  document.addEventListener("htmx:load", setUpDialog);
})();
