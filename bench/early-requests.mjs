// When /search?q=… and /favourites show the app's page, on the Lighthouse
// mobile profile applied through the DevTools protocol (real per-request
// latency, unlike Lighthouse's simulation, which does not link a fetch's
// response to the code that reads it), median of N cold loads (a fresh
// browser context each): the moment the results (`.gk-results__item`) or
// 我的收藏 (`.gk-favs`) are on screen (and in the DOM), and when the manifest was
// requested against when the main wasm had arrived (Resource Timing).
// Issue 16: the boot module's early requests (docs/performance.md).
// Usage: node bench/early-requests.mjs URL [N]   (N defaults to 5)
// Run it through bench/early-requests.sh, which serves a built site.
import { chromium } from 'playwright-core';
import { PHONE, throttle } from './mobile-profile.mjs';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!url) {
  console.error('usage: node bench/early-requests.mjs URL [N]');
  process.exit(2);
}
const PAGES = [
  ['search', `search?q=${encodeURIComponent('科技')}`, '.gk-results__item'],
  ['favs', 'favourites', '.gk-favs'],
];

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
try {
  for (const [name, path, shown] of PAGES) {
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      await throttle(context, page);
      // The moments the page is in the DOM and on screen, recorded in the
      // page (no polling delay): a page without a static page is rendered
      // in a hidden holder, shown once its chrome (which needs the
      // manifest) is complete (src/static_render/takeover.rs).
      await page.addInitScript((selector) => {
        new MutationObserver((_, observer) => {
          const found = document.querySelector(selector);
          if (found && window.__gkInDom === undefined) window.__gkInDom = performance.now();
          if (found && !found.closest('[hidden]')) {
            window.__gkShown = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden'] });
      }, shown);
      await page.goto(new URL(path, url).href);
      await page.waitForFunction(() => window.__gkShown !== undefined, null, { timeout: 60000 });
      samples.push(await page.evaluate(() => {
        const entries = performance.getEntriesByType('resource');
        const find = (re) => entries.find((e) => re.test(new URL(e.name).pathname));
        const manifest = find(/\/bundle\/manifest\.json$/);
        const wasm = find(/\/gongkai-app-[0-9a-f]+_bg\.wasm$/);
        return { shown: window.__gkShown, inDom: window.__gkInDom, manifest: manifest?.startTime, wasm: wasm?.responseEnd };
      }));
      await context.close();
    }
    const shownAt = samples.map((s) => s.shown);
    // The manifest may not have been requested yet when the page shows.
    const requested = samples.map((s) => s.manifest).filter((t) => t !== undefined);
    const manifest = requested.length
      ? `${median(requested).toFixed(0)} ms (${requested.length} of ${runs} loads by then)`
      : `never by then`;
    console.log(`${name.padEnd(6)} shown: median ${median(shownAt).toFixed(0)} ms ` +
      `(${shownAt.map((t) => t.toFixed(0)).join(', ')}); in the DOM at median ` +
      `${median(samples.map((s) => s.inDom)).toFixed(0)} ms; manifest requested at median ` +
      `${manifest}, main wasm arrived at ` +
      `${median(samples.map((s) => s.wasm)).toFixed(0)} ms (${runs} cold loads, ${url})`);
  }
} finally {
  await browser.close();
}
