// Which elements move while a page starts (issue 16, CLS of the routes
// without a static page): cold loads on the Lighthouse mobile profile, as
// bench/first-paint.mjs throttles them, recording every `layout-shift`
// entry with its sources (the element, its box before and after) and its
// time, until the app has shown the page and 3 s have passed. A list or
// article page starts the app on demand (docs/performance.md): it is
// started after the load as a reader does (the search box), so its
// takeover is measured too.
//
// Usage: node bench/layout-shifts.mjs URL [PATH...]
// Run it through bench/layout-shifts.sh, which serves a built site.
import { chromium } from 'playwright-core';
import { PHONE, startOnDemand, throttle, waitForAppShown } from './mobile-profile.mjs';

const [url, ...given] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/layout-shifts.mjs URL [PATH...]');
  process.exit(2);
}
const paths = given.length ? given : [`/search?q=${encodeURIComponent('科技')}`, '/favourites'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const path of paths) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__shifts = [];
      const describe = (node) => {
        if (!node || node.nodeType !== 1) return node ? node.nodeName : '(gone)';
        const cls = node.getAttribute('class');
        return `${node.tagName.toLowerCase()}${cls ? `.${cls.split(/\s+/).join('.')}` : ''}`;
      };
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.hadRecentInput) continue;
          window.__shifts.push({
            at: Math.round(entry.startTime),
            value: entry.value,
            sources: (entry.sources || []).map((s) => ({
              node: describe(s.node),
              before: [Math.round(s.previousRect.y), Math.round(s.previousRect.height)],
              after: [Math.round(s.currentRect.y), Math.round(s.currentRect.height)],
            })),
          });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await throttle(context, page);
    await page.goto(new URL(path.replace(/^\//, ''), url).href);
    if (await startOnDemand(page)) {
      const at = await page.evaluate(() => Math.round(performance.now()));
      console.log(`${path}: the app waits for the reader; started at ${at} ms (search box)`);
    }
    await waitForAppShown(page);
    await page.waitForTimeout(3000);
    const shifts = await page.evaluate(() => window.__shifts);
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    console.log(`${path}: CLS ${total.toFixed(4)} in ${shifts.length} shifts`);
    for (const s of shifts) {
      console.log(`  ${s.at} ms  ${s.value.toFixed(4)}`);
      for (const src of s.sources) {
        console.log(`    ${src.node}  y/height ${src.before.join('/')} -> ${src.after.join('/')}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
