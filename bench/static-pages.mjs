// Largest Contentful Paint and Cumulative Layout Shift of cold loads with and
// without the static pages (issue 9), on an emulated "Slow 4G" network.
//
// Each load is a fresh browser context (nothing cached) whose network is
// throttled through the DevTools protocol with Chromium DevTools' "Slow 4G"
// preset: 562.5 ms round trip (150 ms × 3.75), 1.6 Mbit/s down and
// 750 kbit/s up, each × 0.9 (devtools-frontend NetworkManager's SLOW_4G). The
// figures are taken once the app runs and shows the page's content: LCP is
// the last largest-contentful-paint entry, CLS the sum of layout-shift
// entries without recent input, "app" the time the app's content was there.
// Medians of N loads per page and site.
//
// Usage: node bench/static-pages.mjs WITH_URL WITHOUT_URL PATH... [--runs N]
// Run it through bench/static-pages.sh, which builds and serves both sites.
import { chromium } from 'playwright-core';
import { startOnDemand } from './mobile-profile.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 10;
const [withUrl, withoutUrl, ...paths] = args;
if (!withUrl || !withoutUrl || paths.length === 0 || !(runs > 0)) {
  console.error('usage: node bench/static-pages.mjs WITH_URL WITHOUT_URL PATH... [--runs N]');
  process.exit(2);
}

const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  connectionType: 'cellular4g',
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function load(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await page.addInitScript(() => {
      window.__gk = { lcp: 0, cls: 0 };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__gk.lcp = e.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__gk.cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(url, { timeout: 120_000 });
    // A list or article page starts the app on demand: the reader's search box, at once.
    await startOnDemand(page);
    // The app runs and its route has content (no loading placeholder).
    await page.waitForFunction(
      () => {
        const root = document.querySelector('[data-gongkai] .gk-app[data-js="on"]');
        const main = root?.querySelector('.gk-main');
        const shown = root && root.getClientRects().length > 0;
        if (shown && main?.querySelector('h1') && !main.querySelector('.gk-loading') && !window.__gk.app) {
          window.__gk.app = performance.now();
        }
        return Boolean(window.__gk.app);
      },
      null,
      { timeout: 120_000, polling: 'raf' },
    );
    // Let late entries arrive: two frames and a quiet half second.
    await page.waitForTimeout(500);
    return await page.evaluate(() => ({ ...window.__gk }));
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

const rows = [];
try {
  for (const path of paths) {
    for (const [label, base] of [['with static pages', withUrl], ['without (index.html only)', withoutUrl]]) {
      const samples = [];
      for (let i = 0; i < runs; i++) samples.push(await load(new URL(path.replace(/^\//, ''), base).href));
      rows.push({
        path,
        label,
        lcp: median(samples.map((s) => s.lcp)),
        cls: median(samples.map((s) => s.cls)),
        clsMax: Math.max(...samples.map((s) => s.cls)),
        app: median(samples.map((s) => s.app)),
      });
    }
  }
} finally {
  await browser.close();
}

console.log(`Slow 4G (DevTools preset), cold loads, median of ${runs}:`);
console.log('| page | site | LCP (ms) | CLS (median / max) | app content (ms) |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| \`${r.path}\` | ${r.label} | ${r.lcp.toFixed(0)} | ${r.cls.toFixed(4)} / ${r.clsMax.toFixed(4)} | ${r.app.toFixed(0)} |`);
}
