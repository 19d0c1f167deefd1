// Time from navigation start to the first notice-list row in the DOM, in
// headless Chromium, median of N cold loads (a fresh browser context each, so
// nothing is cached). Usage: node bench/first-render.mjs URL [N]
// Run it through bench/first-render.sh, which builds and serves the site.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 10);
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
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Record the moment the first row is inserted, from inside the page, so
    // that the figure does not include Playwright's polling delay.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('.gk-list__item')) {
          window.__gkFirstRow = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__gkFirstRow !== undefined, null, { timeout: 30000 });
    times.push(await page.evaluate(() => window.__gkFirstRow));
    await context.close();
  }
} finally {
  await browser.close();
}
times.sort((a, b) => a - b);
const median = times.length % 2
  ? times[(times.length - 1) / 2]
  : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`first list render: median ${median.toFixed(0)} ms over ${runs} cold loads ` +
  `(min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)}) at ${url}`);
