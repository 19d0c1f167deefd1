// gongkai-frame.js: the parent side of iframe embedding (docs/embedding.md).
//
// For every <iframe data-gongkai-frame src="https://app.example/…">, sets the
// frame's height from the app's messages, so the frame never scrolls inside.
// A message is used only if it comes from that frame's window (event.source)
// and from the origin of its src (event.origin), and has the documented
// shape: { type: "gongkai:height", version: 1, height: <CSS px> }.
// An external file, so the portal's CSP needs no 'unsafe-inline'.
(() => {
  'use strict';
  const TYPE = 'gongkai:height';
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
    if (!data || typeof data !== 'object' || data.type !== TYPE || data.version !== VERSION) return;
    const height = data.height;
    if (!Number.isFinite(height) || height <= 0 || height > MAX_HEIGHT) return;
    // CSSOM, not a style attribute: allowed by a CSP without 'unsafe-inline'.
    frame.style.height = `${Math.ceil(height)}px`;
    frame.dataset.gongkaiHeight = String(Math.ceil(height));
  });
})();
