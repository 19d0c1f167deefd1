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
// 4. Until the app has taken the page over, it runs the settings controls
//    of the static page (the buttons marked `data-gk-set`: 简体/繁體,
//    无障碍阅读, 长者模式, 字体, and the toolbar's 放大/缩小, 配色, 大鼠标…):
//    a press changes the root's attribute at once, as the app would, and
//    is stored; a `gongkai:settings` event tells an app that has already
//    read the settings to read them again (src/app.rs). So no press made
//    while the app starts is lost (docs/performance.md).
// 5. It runs the static page's 收藏 buttons (加入收藏 on an article, 收藏
//    on list rows: `data-gk-fav`, the entry in its stored form) the same
//    way: the notice is added to or removed from the stored list
//    (`gongkai.favourites`, version 1, src/state/favourites/format.rs),
//    the buttons show it, and a `gongkai:favourites` event tells an app
//    that has already read the list to read it again.
// 6. It shows 我的收藏's count (the badge of the app's FavouritesLink) from
//    the stored list, before the first paint, and keeps it up to date on
//    收藏 presses: on a list or article page the app may never start
//    (`data-start="on-demand"`, docs/performance.md).
// 7. On such a page it keeps every use of what only the app runs, from the
//    first paint: a press of a button it does not run itself (指读, 连读,
//    停止, 帮助, 加入收藏 off an article), a change of the toolbar's 语速,
//    an Alt+Shift+digit shortcut, and the search box (the app answers a
//    query in place). Each is noted in order on the root
//    (`data-gk-pending`) and `gongkai:start` asks the boot module to start
//    the app, which replays the presses on the app's copies of the controls
//    once it has taken the page over (scripts/trunk-post-build).
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
  // The values each control steps through, as src/state/modes.rs has them.
  var TOGGLE = { elder: ["off", "on"], cursor: ["off", "on"], guide: ["off", "on"],
    captions: ["off", "on"], textonly: ["off", "on"], toolbar: ["closed", "open"] };
  var ZOOM = ["100", "125", "150", "175", "200"];
  var SETTABLE = { script: ["zh-Hans", "zh-Hant"], font: ["small", "medium", "large"],
    scheme: ["default", "yellow-on-black", "white-on-black", "black-on-white", "white-on-blue"] };
  // What 重置 keeps (SettingsRecord::reset).
  var KEPT = { v: 1, script: 1, toolbar: 1, shortcuts: 1 };
  var runs = typeof WebAssembly === "object" &&
    typeof HTMLScriptElement !== "undefined" && "noModule" in HTMLScriptElement.prototype;

  var record = null;
  var text = null;
  try {
    text = window.localStorage.getItem(KEY);
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

  // 8. On /search and /favourites, which have no static page and start the
  //    app at once, the app's wasm (the main module and the route's pack)
  //    is requested from here, as soon as the head is parsed, not once the
  //    boot module and its imports have loaded and run: the boot module
  //    and the split loader take the responses from `__gongkaiAhead` (by
  //    URL) instead of fetching them again (docs/performance.md, "The wasm
  //    from the head"). The names are the build's: the `gongkai-ahead`
  //    meta written before this script by scripts/trunk-post-build.
  if (runs && typeof fetch === "function" && typeof Map === "function") {
    try {
      var ahead = document.querySelector('meta[name="gongkai-ahead"]');
      var basePath = new URL(".", document.baseURI).pathname;
      var path = location.pathname.indexOf(basePath) === 0 ? "/" + location.pathname.slice(basePath.length) : "";
      var route = /^\/search\/?$/.test(path) ? "search" : /^\/favourites\/?$/.test(path) ? "favourites" : null;
      var files = ahead && route ? (ahead.getAttribute("content") || "").split(/\s+/) : [];
      var fetched = new Map();
      for (var f = 0; f < files.length; f++) {
        // `main=<file>` on every such route, `<route>=<file>` on its own.
        var pair = files[f].split("=");
        if (pair.length === 2 && (pair[0] === "main" || pair[0] === route) && /^[\w.-]+$/.test(pair[1])) {
          var url = new URL(pair[1], document.baseURI).href;
          var response = fetch(url);
          response["catch"](function () {});
          fetched.set(url, response);
        }
      }
      window.__gongkaiAhead = fetched;
    } catch (e) {
      // No URL support: the boot module fetches the wasm itself.
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
  var counted = !runs;
  function place(root, elder) {
    var form = root.querySelector(":scope > form.gk-search");
    var masthead = root.querySelector(":scope > header.gk-masthead");
    var nav = root.querySelector(":scope > .gk-colnav-slot");
    if (!form || !masthead) {
      return false;
    }
    if (elder) {
      root.insertBefore(form, masthead);
    } else if (nav && form.nextElementSibling === masthead) {
      root.insertBefore(form, nav.nextSibling);
    }
    return true;
  }
  function find() {
    var root = document.querySelector("[data-gongkai] > .gk-app");
    if (root && !done) {
      done = true;
      apply(root);
    }
    if (root && !moved) {
      moved = place(root, true);
    }
    if (root && !counted) {
      counted = count(root);
      if (counted) {
        sync(root);
      }
    }
    return done && moved && counted;
  }
  // The pressed state of the settings buttons, as the app renders it from
  // the stored record: the static page is built with the defaults, and
  // where the app starts on demand it is the page the reader uses.
  function sync(root) {
    if (!runs) {
      return;
    }
    syncFavourites(root);
    if (!record) {
      return;
    }
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = record[ATTRIBUTES[i]];
      if (ATTRIBUTES[i] !== "script" && (typeof value === "string" || typeof value === "number") && VALUE.test(String(value))) {
        mirror(root, ATTRIBUTES[i], String(value));
      }
    }
    var status = root.querySelector(".gk-a11ybar[data-static] .gk-a11ybar__zoom");
    if (status && record.zoom) {
      status.textContent = status.textContent.replace(/\d+/, String(record.zoom));
    }
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
      syncAll();
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      find();
      syncAll();
    });
  }
  // The buttons after the top bar (字体, the toolbar's copy) once parsed.
  function syncAll() {
    var root = document.querySelector("[data-gongkai] > .gk-app");
    if (root) {
      sync(root);
    }
  }

  // 6. 我的收藏's count, written once the parser has closed the link (its
  //    text first, as the app renders it).
  function count(root) {
    var link = root.querySelector(".gk-favlink");
    if (!link || (!link.nextSibling && document.readyState === "loading")) {
      return false;
    }
    showCount(root, (storedFavourites() || []).length);
    return true;
  }
  // The stored 收藏 list's items, if this script knows its version.
  function storedFavourites() {
    try {
      var list = JSON.parse(window.localStorage.getItem(FAVOURITES) || "null");
      return list && list.v === 1 && Array.isArray(list.items) ? list.items : null;
    } catch (e) {
      // Unreadable: the app sets it aside and says so.
      return null;
    }
  }
  // The 收藏 buttons of stored notices pressed (★), as the app shows them.
  function syncFavourites(root) {
    var items = storedFavourites() || [];
    var ids = {};
    for (var i = 0; i < items.length; i++) {
      if (items[i] && typeof items[i].id === "string") {
        ids[items[i].id] = true;
      }
    }
    var buttons = root.querySelectorAll("[data-gk-fav]");
    for (var j = 0; j < buttons.length; j++) {
      var id = null;
      try {
        id = JSON.parse(buttons[j].getAttribute("data-gk-fav")).id;
      } catch (e) {
        // Not an entry: left as rendered.
      }
      if (id !== null && ids[id] === true) {
        buttons[j].setAttribute("aria-pressed", "true");
        var icon = buttons[j].querySelector(".gk-fav__icon");
        if (icon) {
          icon.textContent = "\u2605";
        }
      }
    }
  }
  function showCount(root, n) {
    var link = root.querySelector(".gk-favlink");
    var badge = link ? link.querySelector(".gk-favlink__count") : null;
    if (!link || n <= 0) {
      if (badge) {
        badge.parentNode.removeChild(badge);
      }
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "gk-badge gk-favlink__count";
      link.appendChild(badge);
    }
    var unit = document.createElement("span");
    unit.className = "gk-visually-hidden";
    unit.textContent = root.getAttribute("data-script") === "zh-Hant" ? "\u689d" : "\u6761";
    badge.textContent = " " + n;
    badge.appendChild(unit);
  }

  // 4. The static page's settings controls, until the app takes over (its
  //    root then has `data-js="on"` and its own handlers).
  function store(next) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(next));
    } catch (e) {
      return false;
    }
    return true;
  }
  function mirror(root, key, value) {
    var buttons = root.querySelectorAll("[data-gk-set^='" + key + ":']");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      var what = button.getAttribute("data-gk-set").slice(key.length + 1);
      if (button.hasAttribute("aria-expanded")) {
        button.setAttribute("aria-expanded", value === "open" ? "true" : "false");
      } else if (button.hasAttribute("aria-pressed")) {
        var on = what === "toggle" ? value === "on" : what === value;
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
    }
  }
  function press(root, key, what) {
    // An unreadable stored value is the app's to set aside and report:
    // never written over here.
    if (text && !record) {
      return false;
    }
    var next = {};
    var name;
    for (name in record || { v: VERSION }) {
      next[name] = (record || { v: VERSION })[name];
    }
    next.v = VERSION;
    if (key === "reset") {
      for (name in next) {
        if (!KEPT[name]) {
          delete next[name];
          if (ATTRIBUTES.indexOf(name) >= 0) {
            root.removeAttribute("data-" + name);
          }
        }
      }
    } else if (TOGGLE[key] && what === "toggle") {
      var current = String(next[key] || root.getAttribute("data-" + key) || TOGGLE[key][0]);
      next[key] = current === TOGGLE[key][1] ? TOGGLE[key][0] : TOGGLE[key][1];
    } else if (TOGGLE[key] && TOGGLE[key].indexOf(what) >= 0) {
      next[key] = what;
    } else if (key === "zoom" && (what === "larger" || what === "smaller")) {
      var at = ZOOM.indexOf(String(next.zoom || root.getAttribute("data-zoom") || "100"));
      at = Math.max(0, Math.min(ZOOM.length - 1, (at < 0 ? 0 : at) + (what === "larger" ? 1 : -1)));
      next.zoom = Number(ZOOM[at]);
    } else if (SETTABLE[key] && SETTABLE[key].indexOf(what) >= 0) {
      next[key] = what;
    } else {
      return false;
    }
    if (!store(next)) {
      return false;
    }
    record = next;
    text = JSON.stringify(next);
    if (key === "script") {
      // The page in the chosen script: this URL with `lang` set (繁體) or
      // removed (简体), on this origin, as the app's buttons navigate.
      var target = new URL(location.href);
      if (what === "zh-Hant") {
        target.searchParams.set("lang", "zh-Hant");
      } else {
        target.searchParams.delete("lang");
      }
      if (target.origin === location.origin) {
        location.replace(target.href);
      }
      return true;
    }
    for (name in next) {
      if (ATTRIBUTES.indexOf(name) >= 0) {
        root.setAttribute("data-" + name, String(next[name]));
        mirror(root, name, String(next[name]));
      }
    }
    if (key === "elder") {
      place(root, next.elder === "on");
    }
    var status = root.querySelector(".gk-a11ybar[data-static] .gk-a11ybar__zoom");
    if (status && key === "zoom") {
      status.textContent = status.textContent.replace(/\d+/, String(next.zoom));
    }
    try {
      window.dispatchEvent(new Event("gongkai:settings"));
    } catch (e) {
      // No Event constructor: the app reads the stored value when it starts.
    }
    return true;
  }

  // 5. 收藏. A stored list this script does not know (an older version,
  //    an unreadable value) is the app's to migrate or set aside: the
  //    press is then refused, never written over it.
  var FAVOURITES = "gongkai.favourites";
  var MAX_FAVOURITES = 10000;
  function favourite(root, button) {
    var entry;
    var list;
    try {
      entry = JSON.parse(button.getAttribute("data-gk-fav"));
      var stored = window.localStorage.getItem(FAVOURITES);
      list = stored ? JSON.parse(stored) : { v: 1, items: [] };
    } catch (e) {
      return false;
    }
    if (!entry || typeof entry.id !== "string" || !list || list.v !== 1 || !Array.isArray(list.items)) {
      return false;
    }
    var at = -1;
    for (var i = 0; i < list.items.length; i++) {
      if (list.items[i] && list.items[i].id === entry.id) {
        at = i;
      }
    }
    if (at >= 0) {
      list.items.splice(at, 1);
    } else if (list.items.length < MAX_FAVOURITES) {
      // Newest first, as Favourites::add puts it.
      entry.added_at = Date.now();
      list.items.unshift(entry);
    } else {
      // A full list: the app says so when it runs.
      return false;
    }
    try {
      window.localStorage.setItem(FAVOURITES, JSON.stringify(list));
    } catch (e) {
      return false;
    }
    var on = at < 0;
    showCount(root, list.items.length);
    var buttons = root.querySelectorAll("[data-gk-fav]");
    for (var j = 0; j < buttons.length; j++) {
      var other = buttons[j];
      var id = null;
      try {
        id = JSON.parse(other.getAttribute("data-gk-fav")).id;
      } catch (e) {
        // Not an entry: not this notice's button.
      }
      if (id === entry.id) {
        other.setAttribute("aria-pressed", on ? "true" : "false");
        var icon = other.querySelector(".gk-fav__icon");
        if (icon) {
          icon.textContent = on ? "\u2605" : "\u2606";
        }
      }
    }
    try {
      window.dispatchEvent(new Event("gongkai:favourites"));
    } catch (e) {
      // No Event constructor: the app reads the stored list when it starts.
    }
    return true;
  }

  // 7. What starts the app on a page that waits for the reader.
  var CONTROLS = "button, select";
  var APP_ONLY = "button:not([data-gk-set]):not([data-gk-fav]):not([type=submit])";
  function waiting(node) {
    var root = node && node.closest ? node.closest(".gk-app") : null;
    return root && root.getAttribute("data-start") === "on-demand" && root.getAttribute("data-js") === "starting" &&
      root.parentNode && root.parentNode.hasAttribute("data-gongkai") ? root : null;
  }
  function pending(root, entry) {
    var list = root.getAttribute("data-gk-pending");
    root.setAttribute("data-gk-pending", list ? list + " " + entry : entry);
    try {
      window.dispatchEvent(new Event("gongkai:start"));
    } catch (e) {
      // No Event constructor: the boot module reads the root when it runs.
    }
  }
  // Which control, as the app's copy is found again: its tag and text,
  // and how many controls alike come before it (never a plain position:
  // 长者模式 moves the search form and its controls).
  function describe(control) {
    return control.tagName + "|" + control.textContent.replace(/^\s+|\s+$/g, "");
  }
  function position(root, control) {
    var all = root.querySelectorAll(CONTROLS);
    var key = describe(control);
    var nth = 0;
    for (var i = 0; i < all.length && all[i] !== control; i++) {
      if (describe(all[i]) === key) {
        nth += 1;
      }
    }
    return encodeURIComponent(key) + ":" + nth;
  }

  if (runs) {
    document.addEventListener("click", function (event) {
      var control = event.target && event.target.closest ? event.target.closest(APP_ONLY) : null;
      var root = waiting(control);
      if (root) {
        event.preventDefault();
        event.stopPropagation();
        control.setAttribute("aria-busy", "true");
        pending(root, "c:" + position(root, control));
      }
    }, true);
    document.addEventListener("change", function (event) {
      var control = event.target;
      var root = waiting(control);
      if (root && control.tagName === "SELECT" && control.closest(".gk-a11ybar")) {
        pending(root, "v:" + position(root, control) + ":" + encodeURIComponent(control.value));
      }
    }, true);
    document.addEventListener("focusin", function (event) {
      var form = event.target && event.target.closest ? event.target.closest("form.gk-search") : null;
      var root = waiting(form);
      if (root && !/(?:^| )search(?: |$)/.test(root.getAttribute("data-gk-pending") || "")) {
        pending(root, "search");
      }
    });
    // The toolbar's shortcuts (src/components/a11y.rs), unless turned off;
    // once the app renders, hidden, it hears them itself.
    window.addEventListener("keydown", function (event) {
      if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey ||
          !/^Digit[0-9]$/.test(event.code) || (record && record.shortcuts === "off")) {
        return;
      }
      var root = waiting(document.querySelector("[data-gongkai] > .gk-app"));
      if (root && !root.parentNode.querySelector(":scope > .gk-takeover")) {
        event.preventDefault();
        pending(root, "k:" + event.code);
      }
    }, true);
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest ? event.target.closest("[data-gk-set], [data-gk-fav]") : null;
      var root = button ? button.closest(".gk-app") : null;
      if (!root || root.getAttribute("data-js") !== "starting") {
        return;
      }
      var done;
      if (button.hasAttribute("data-gk-fav")) {
        done = favourite(root, button);
      } else {
        var set = button.getAttribute("data-gk-set").split(":");
        done = press(root, set[0], set[1] || "");
      }
      if (done) {
        event.preventDefault();
      }
    });
  }
})();
