/* Runs before Material's bundle (loaded just above it in overrides/main.html), so it can
   wrap what the bundle calls. Written for Material for MkDocs 9.8 (and Zensical 0.0.x, which
   ships the same bundle). Each patch checks that what it wraps exists and otherwise does
   nothing, so a theme upgrade can lose the saving but never break the page. */
(function () {
  "use strict";

  /* Material downloads search/search_index.json (the largest file a page loads) on every
     page view. Hold that one request back until the reader opens search; a shared search
     link (?q=) still searches at once. Measured by `make bench` (home page weight). */
  var XHR = window.XMLHttpRequest && window.XMLHttpRequest.prototype;
  if (XHR && typeof XHR.open === "function" && typeof XHR.send === "function") {
    var open = XHR.open, send = XHR.send;
    var released = /[?&]q=/.test(location.search), held = [];
    var release = function () {
      if (released) return;
      released = true;
      held.splice(0).forEach(function (go) { go(); });
    };
    XHR.open = function (method, url) {
      this.searchIndex = /\/search\/search_index\.json$/.test(String(url));
      return open.apply(this, arguments);
    };
    XHR.send = function () {
      var xhr = this, args = arguments;
      if (!xhr.searchIndex || released) return send.apply(xhr, args);
      held.push(function () { send.apply(xhr, args); });
    };
    document.addEventListener("focusin", function (event) {
      if (event.target.closest && event.target.closest(".md-search")) release();
    });
    document.addEventListener("change", function (event) {
      if (event.target.id === "__search") release();
    });
    /* If the search input is already focused or toggled (restored page), don't hold it. */
    var toggle = document.getElementById("__search");
    if (toggle && toggle.checked) release();
  }

  /* Material adds a <meta name="color-scheme"> to <head> on every page load and then writes the
     palette's scheme ("light", "dark") into it. In Chromium each of those two steps is a
     "platform colour change" that restyles every element of the page, forced at once by the
     script reading styles right after; on the research page that was the largest part of the
     blocking time (`make bench`, Chromium's style recalculation counters). The page now has
     that tag from its first byte (overrides/main.html, "light"); Material's own tag stays out
     of the document, and what Material writes to it goes to the page's tag only when it
     differs, so a dark palette still reaches the browser and a light page load costs nothing. */
  var head = document.head;
  var scheme = head && head.querySelector('meta[name="color-scheme"]');
  if (scheme && typeof head.appendChild === "function" && Object.defineProperty) {
    var appendChild = head.appendChild;
    head.appendChild = function (node) {
      if (node && node !== scheme && node.nodeName === "META"
          && node.getAttribute("name") === "color-scheme") {
        Object.defineProperty(node, "content", {
          configurable: true,
          get: function () { return scheme.content; },
          set: function (value) {
            if (scheme.content !== String(value)) scheme.content = value;
          }
        });
        return node;
      }
      return appendChild.apply(this, arguments);
    };
  }

  /* Material marks the body as "switching" each time it applies the colour palette, page
     load included, so that colours do not fade mid-switch. Adding and removing that mark
     restyles every element on the page; on page load nothing is switching. So the mark waits
     until the reader first uses the light/dark toggle. Measured by `make bench` (mobile
     style time on the research page roughly halved, Lighthouse blocking time down). */
  var body = document.body;
  if (body && typeof body.setAttribute === "function") {
    var setAttribute = body.setAttribute, toggled = false;
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (target.closest && target.closest('[data-md-component="palette"]')) toggled = true;
    }, true);
    body.setAttribute = function (name, value) {
      if (name === "data-md-color-switching" && !toggled) return;
      return setAttribute.call(this, name, value);
    };
  }
})();
