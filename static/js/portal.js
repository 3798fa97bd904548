// Site-wide behaviour, loaded on every page. Everything here is an enhancement: without
// JavaScript the menu is simply shown in full and forms post as normal pages.
(function () {
  "use strict";

  // The collapsing menu: on narrow screens the navigation hides behind one button.
  function enhanceMenu() {
    var header = document.querySelector("[data-site-header]");
    var toggle = header && header.querySelector("[data-menu-toggle]");
    var menu = header && document.getElementById(toggle ? toggle.getAttribute("aria-controls") : "");
    if (!toggle || !menu) { return; }
    header.classList.add("site-header--js");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        menu.classList.remove("is-open");
        toggle.focus();
      }
    });
  }

  // Screen readers hear what an htmx swap did, and keyboard users keep their place: a
  // fragment marks the element to focus with data-focus-on-swap and what to say with
  // data-announce. Without this, focus falls to <body> when the element holding it is
  // replaced, and the next Tab starts again from the top of the page.
  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) { return; }
    region.textContent = "";
    // A fresh text node after a tick, so the same message said twice is announced twice.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function settle() {
    var target = document.querySelector("[data-focus-on-swap]");
    if (target) {
      target.removeAttribute("data-focus-on-swap");
      if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    }
    var spoken = document.querySelector("[data-announce]");
    if (spoken) {
      announce(spoken.getAttribute("data-announce"));
      spoken.removeAttribute("data-announce");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceMenu();
    document.body.addEventListener("htmx:afterSettle", settle);
    document.body.addEventListener("htmx:responseError", function () {
      announce(document.body.getAttribute("data-error-message"));
    });
  });
})();
