/* Runs after Material's bundle. Plain DOM code: nothing here depends on the bundle's
   internals, so a theme upgrade cannot break it. */
(function () {
  "use strict";

  /* The page says "js" on <html> from its head (overrides/main.html), before Material's
     script has run. If that script never ran (blocked, or failed to load), the page goes back
     to what it shows without scripts: no search box that cannot search. Material's script
     publishes `document$` for site scripts like this one. */
  if (typeof window.document$ === "undefined") {
    document.documentElement.classList.replace("js", "no-js");
  }

  /* The search dialog gets a name (axe rule aria-dialog-name): without one, screen readers
     announce it as just "dialog". Its name is the search box's own label. */
  document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
    var input = dialog.querySelector("input[aria-label]");
    dialog.setAttribute("aria-label", input ? input.getAttribute("aria-label") : "Search");
  });

  /* Material labels both the site navigation and the breadcrumb trail above the title
     "Navigation"; two landmarks with one name cannot be told apart (axe landmark-unique). */
  document.querySelectorAll("nav.md-path").forEach(function (trail) {
    trail.setAttribute("aria-label", "Breadcrumb");
  });

  /* Tooltips for citations, abbreviations and certainty labels: one listener and one shared
     popup per page. Hovering or focusing a citation number shows the reference; hovering an
     abbreviation shows what it stands for; hovering, focusing or tapping a certainty label
     ("Moderate certainty") shows what the level means. Material's `content.footnote.tooltips`
     and `content.tooltips` set up a component for each citation and titled element on page
     load; the research page has over 100 citations, and that work was most of the blocking
     time (`make bench`).
     WCAG 1.4.13: the popup stays while the pointer moves onto it, and Escape hides it without
     moving focus or pointer; it shows again the next time its host gains focus or hover. */
  (function () {
    var tip = null, host = null, timer = 0;
    var HOSTS = "a.footnote-ref, abbr[title], abbr[data-title], .certainty";
    function textOf(element) {
      if (element.matches("abbr")) return element.getAttribute("title") || element.dataset.title;
      if (element.matches(".certainty")) {
        /* The label's own words (its visually hidden explanation), without the dots. */
        var level = element.querySelector(".certainty__level");
        var why = element.querySelector(".certainty__why");
        return ((level ? level.textContent : "") + (why ? why.textContent : "")).trim();
      }
      var item = document.getElementById(decodeURIComponent(element.hash.slice(1)));
      if (!item) return "";
      var copy = item.cloneNode(true);
      copy.querySelectorAll(".footnote-backref").forEach(function (back) { back.remove(); });
      return copy.textContent.replace(/\s+/g, " ").trim();
    }
    function release(element) {
      element.removeAttribute("aria-describedby");
      /* The abbreviation's own title was held back so the browser's tooltip does not
         double ours; it goes back for screen readers and printing. */
      if (element.dataset.title) {
        element.setAttribute("title", element.dataset.title);
        delete element.dataset.title;
      }
    }
    function hide() {
      clearTimeout(timer);
      if (!host) return;
      release(host);
      tip.hidden = true;
      host = null;
    }
    function hideSoon() {
      clearTimeout(timer);
      /* Long enough to move the pointer onto the tooltip to read or select it. */
      timer = setTimeout(hide, 300);
    }
    function show(element) {
      clearTimeout(timer);
      if (element === host) return;
      var text = textOf(element);
      if (!text) return;
      if (!tip) {
        tip = document.createElement("div");
        tip.id = "site-tooltip";
        tip.className = "site-tooltip";
        tip.setAttribute("role", "tooltip");
        tip.addEventListener("mouseenter", function () { clearTimeout(timer); });
        tip.addEventListener("mouseleave", hideSoon);
        /* Inside the page's main landmark, like the text it explains (axe rule region).
           <main> is not positioned, so the tooltip is still placed on the page as a whole. */
        (document.querySelector("main") || document.body).appendChild(tip);
      }
      if (host) release(host);
      host = element;
      if (element.hasAttribute("title")) {
        element.dataset.title = element.getAttribute("title");
        element.removeAttribute("title");
      }
      /* A certainty label already holds its explanation as text for screen readers; pointing
         at the popup as well would read it twice. */
      if (!element.matches(".certainty")) element.setAttribute("aria-describedby", tip.id);
      tip.textContent = text;
      tip.hidden = false;
      var gap = 8, box = element.getBoundingClientRect(), page = document.documentElement;
      var width = tip.offsetWidth, height = tip.offsetHeight;
      var left = box.left + box.width / 2 - width / 2;
      left = Math.max(gap, Math.min(left, page.clientWidth - width - gap));
      var below = box.bottom + gap + height <= window.innerHeight || box.top < height + gap;
      tip.style.left = left + window.scrollX + "px";
      tip.style.top = (below ? box.bottom + gap : box.top - gap - height) + window.scrollY + "px";
    }
    function hostOf(target) {
      return target && target.closest ? target.closest(HOSTS) : null;
    }
    document.addEventListener("mouseover", function (event) {
      var element = hostOf(event.target);
      if (element) show(element);
    });
    document.addEventListener("mouseout", function (event) {
      var element = hostOf(event.target);
      if (element && element === host && !element.contains(event.relatedTarget)) hideSoon();
    });
    document.addEventListener("focusin", function (event) {
      var element = hostOf(event.target);
      if (element) show(element); else if (host) hide();
    });
    document.addEventListener("focusout", function (event) {
      if (hostOf(event.target) === host) hide();
    });
    /* A tap focuses the label in most browsers; this covers those where it does not. */
    document.addEventListener("click", function (event) {
      var element = event.target && event.target.closest ? event.target.closest(".certainty") : null;
      if (element) show(element);
    });
    window.addEventListener("resize", hide);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  })();
})();

