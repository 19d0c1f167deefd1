// gongkai-frame.js: the parent side of iframe embedding (docs/embedding.md).
//
// For every <iframe data-gongkai-frame src="https://app.example/…">, sets the
// frame's height from the app's messages, so the frame never scrolls inside,
// and brings the frame's top into view when the reader goes to another page
// in it. A message is used only if it comes from that frame's window
// (event.source) and from the origin of its src (event.origin), and has one
// of the documented shapes:
//   { type: "gongkai:height", version: 1, height: <CSS px> }
//   { type: "gongkai:navigation", version: 1 }
// An external file, so the portal's CSP needs no 'unsafe-inline'.
(() => {
  'use strict';
  const HEIGHT = 'gongkai:height';
  const NAVIGATION = 'gongkai:navigation';
  const VERSION = 1;
  // A height beyond this is treated as a malformed message, not obeyed.
  const MAX_HEIGHT = 1_000_000;

  const frames = () => Array.from(document.querySelectorAll('iframe[data-gongkai-frame]'));

  window.addEventListener('message', (event) => {
    const frame = frames().find((f) => f.contentWindow === event.source);
    if (!frame) return;
    let origin;
    try {
      origin = new URL(frame.getAttribute('data-gongkai-origin') || frame.src, document.baseURI).origin;
    } catch {
      return;
    }
    if (event.origin !== origin) return;
    const data = event.data;
    if (!data || typeof data !== 'object' || data.version !== VERSION) return;
    if (data.type === NAVIGATION) {
      // The new page starts at the frame's top: show it if it is above the viewport.
      if (frame.getBoundingClientRect().top < 0) frame.scrollIntoView({ block: 'start' });
      return;
    }
    if (data.type !== HEIGHT) return;
    const height = data.height;
    if (!Number.isFinite(height) || height <= 0 || height > MAX_HEIGHT) return;
    // CSSOM, not a style attribute: allowed by a CSP without 'unsafe-inline'.
    frame.style.height = `${Math.ceil(height)}px`;
    frame.dataset.gongkaiHeight = String(Math.ceil(height));
  });
})();
