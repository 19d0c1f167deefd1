// gongkai: runs in <head>, before the page is first painted. The
// Content-Security-Policy allows no inline script, so this small file is
// loaded synchronously instead (docs/static-pages.md).
//
// 1. It applies the reader's stored settings (长者模式, 字体, 配色, …) to
//    the static page's root as the same data attributes the app sets, so a
//    static page never flashes in the default look before the app starts.
// 2. It marks the root `data-js="starting"` when the app will start
//    (WebAssembly and module scripts are available), so style/static.css
//    keeps room for the buttons that need the app (shown when it takes
//    over) and hides the notes that explain they do.
// 3. A reader who chose 繁體 and follows a link without `?lang=` goes to the
//    繁體 page at once, as the app would send them there after starting:
//    the same URL on the same origin with `lang` added.
//
// It reads the record src/state/settings.rs writes; a value it does not
// understand is left to the app, which sets it aside and says so.
(function () {
  "use strict";
  var KEY = "gongkai.settings";
  var VERSION = 1;
  // `toolbar` shows the static page's copy of the 无障碍阅读 toolbar
  // (style/static.css); the others are the app root's own attributes.
  var ATTRIBUTES = ["script", "zoom", "elder", "scheme", "font", "cursor", "guide", "captions", "textonly", "toolbar"];
  var VALUE = /^[a-z0-9-]{1,24}$/i;
  var runs = typeof WebAssembly === "object" &&
    typeof HTMLScriptElement !== "undefined" && "noModule" in HTMLScriptElement.prototype;

  var record = null;
  try {
    var text = window.localStorage.getItem(KEY);
    var parsed = text ? JSON.parse(text) : null;
    if (parsed && typeof parsed === "object" && parsed.v === VERSION) {
      record = parsed;
    }
  } catch (e) {
    // Storage blocked or the value unreadable: the app reports it.
  }

  if (runs && record && record.script === "zh-Hant" && !/(?:^|[?&])lang=/.test(location.search)) {
    // The target is this very URL with only `lang` added, built as a URL
    // object from the current address, never as a string from its parts: a
    // path such as `//evil.example/` would make `pathname + search` the
    // address of another host (an open redirect, issue 15).
    var target = null;
    try {
      target = new URL(location.href);
      target.search = location.search ? location.search + "&lang=zh-Hant" : "?lang=zh-Hant";
    } catch (e) {
      // No URL support: the app writes `lang` into the address itself.
    }
    if (target && target.origin === location.origin) {
      location.replace(target.href);
      return;
    }
  }

  function apply(root) {
    if (runs) {
      root.setAttribute("data-js", "starting");
    }
    if (!record) {
      return;
    }
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = record[ATTRIBUTES[i]];
      if ((typeof value === "string" || typeof value === "number") && VALUE.test(String(value))) {
        root.setAttribute("data-" + ATTRIBUTES[i], String(value));
      }
    }
  }

  // The static root is parsed after this script: catch it as soon as the
  // parser inserts it. Mutation callbacks run before the browser renders.
  // 长者模式 puts the search box above the masthead (src/app.rs); the static
  // page is built in the default order, so the box is moved here, before it
  // is painted, to where the app will render it: no jump at the takeover.
  var done = false;
  var moved = !(record && record.elder === "on");
  function find() {
    var root = document.querySelector("[data-gongkai] > .gk-app");
    if (root && !done) {
      done = true;
      apply(root);
    }
    if (root && !moved) {
      var form = root.querySelector(":scope > form.gk-search");
      var masthead = root.querySelector(":scope > header.gk-masthead");
      if (form && masthead) {
        root.insertBefore(form, masthead);
        moved = true;
      }
    }
    return done && moved;
  }
  if (typeof MutationObserver === "function") {
    var observer = new MutationObserver(function () {
      if (find()) {
        observer.disconnect();
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () {
      find();
      observer.disconnect();
    });
  } else {
    document.addEventListener("DOMContentLoaded", find);
  }
})();
