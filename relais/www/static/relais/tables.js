/*
 * Scrolling tables reachable by keyboard (RGAA, axe « scrollable-region-focusable »): a
 * table wider than the screen (375 px) scrolls inside its wrapper; the wrapper that
 * actually overflows gets tabindex="0" (and the table's caption as its name), so that a
 * keyboard user can focus it and scroll with the arrows. Recomputed when the width changes.
 */
(function () {
  "use strict";
  var SELECTOR = ".fr-table, .fr-table > table, .fr-table__wrapper, .fr-table__container, .relais-table-wrapper, .relais-table-wrapper > table";

  function label(element) {
    var caption = element.querySelector("caption");
    return caption ? caption.textContent.trim() : "Tableau";
  }

  function update() {
    var elements = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < elements.length; i++) {
      var element = elements[i];
      var overflows = element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1;
      var style = window.getComputedStyle(element);
      var scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY + style.overflow);
      if (overflows && scrolls) {
        if (!element.hasAttribute("tabindex")) {
          element.setAttribute("tabindex", "0");
          element.setAttribute("data-relais-scroll", "");
          if (element.tagName !== "TABLE" && !element.hasAttribute("aria-label")) {
            element.setAttribute("role", "region");
            element.setAttribute("aria-label", label(element));
          }
        }
      } else if (element.hasAttribute("data-relais-scroll")) {
        element.removeAttribute("tabindex");
        element.removeAttribute("data-relais-scroll");
        if (element.getAttribute("role") === "region") {
          element.removeAttribute("role");
          element.removeAttribute("aria-label");
        }
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 100);
  });
  document.addEventListener("htmx:afterSettle", update);
})();
