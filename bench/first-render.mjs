// Time from navigation start to the first notice-list row in the DOM, in
// headless Chromium, median of N cold loads (a fresh browser context each, so
// nothing is cached), and the bytes transferred by then (Resource Timing's
// transferSize of the document and of every response finished by that
// moment: compressed bytes on the wire, headers included). With static
// pages (docs/static-pages.md) the first row comes with the HTML, so it also
// records when the app has taken the page over (its root, `data-js="on"`,
// shows a list row).
// Usage: node bench/first-render.mjs URL [N]   (N defaults to 20)
// Run it through bench/first-render.sh, which builds and serves the site.
import { chromium } from 'playwright-core';
import { startOnDemand } from './mobile-profile.mjs';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 20);
if (!url) {
  console.error('usage: node bench/first-render.mjs URL [N]');
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const times = [];
const bytes = [];
const apps = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Record the moment the first row is inserted, from inside the page, so
    // that the figure does not include Playwright's polling delay.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (window.__gkFirstRow === undefined && document.querySelector('.gk-list__item')) {
          window.__gkFirstRow = performance.now();
        }
        if (document.querySelector('.gk-app[data-js="on"] .gk-list__item')
            && !document.querySelector('.gk-takeover[hidden]')) {
          window.__gkApp = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    // A list page starts the app on demand: the reader's search box, at once.
    await startOnDemand(page);
    await page.waitForFunction(() => window.__gkApp !== undefined, null, { timeout: 30000 });
    const sample = await page.evaluate(() => {
      const at = window.__gkFirstRow;
      const entries = [
        ...performance.getEntriesByType('navigation'),
        ...performance.getEntriesByType('resource').filter((e) => e.responseEnd <= at),
      ];
      return { at, app: window.__gkApp, bytes: entries.reduce((sum, e) => sum + e.transferSize, 0) };
    });
    times.push(sample.at);
    apps.push(sample.app);
    bytes.push(sample.bytes);
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
console.log(`first list render: median ${median(times).toFixed(0)} ms over ${runs} cold loads ` +
  `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}), ` +
  `median ${median(bytes)} B transferred by then, at ${url}`);
console.log(`app running with the list: median ${median(apps).toFixed(0)} ms ` +
  `(min ${Math.min(...apps).toFixed(0)}, max ${Math.max(...apps).toFixed(0)})`);
