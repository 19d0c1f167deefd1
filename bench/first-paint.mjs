// When a phone reader can see and use each part of a page (issue 16), on
// the Lighthouse mobile profile: cold loads (a fresh browser context each,
// nothing cached) in headless Chromium at 390×844 (mobile, touch, DPR 3),
// the network throttled through the DevTools protocol to 150 ms round trip,
// 1.6 Mbit/s down and 750 kbit/s up (`Network.emulateNetworkConditions`;
// Lighthouse's "slow 4G"), the CPU slowed 4× (`Emulation.setCPUThrottlingRate`).
//
// For each page, in the page itself (an init script checking once per
// animation frame, so the figures carry no polling delay of the harness),
// the time from navigation start until:
//   content   the page's first list row, or its article heading, is visible
//   search    the search box and its 搜索位置 / 匹配度 / 排序 are visible
//   controls  every top-bar control is visible: 简体, 繁體, 无障碍阅读,
//             长者模式, 加入收藏, 我的收藏, 登录, 注册
//   font      字体 大/中/小 is visible (articles only)
//   app       the app runs and shows the page (its root says data-js="on",
//             no hidden takeover holder, no loading placeholder)
// and, from the same loads: the longest task and the blocking time (the
// part of each long task over 50 ms, as TBT counts it) from navigation
// start until 3 s after the app started, LCP, CLS, and the wasm + JS the
// reader downloaded by then without touching anything: brotli bytes of the
// files fetched (their `.br` beside them in DIST, which nginx serves), and
// bytes on the wire (CDP `encodedDataLength`, headers included).
//
// Then the presses: in other cold loads, the harness presses 长者模式 as
// soon as it can be pressed (Playwright waits until it is visible and
// enabled), and reports when the press was made and when the page showed
// its effect (`data-elder="on"` on the shown root), and whether 长者模式 is
// still on once the app runs; likewise it types a query into the search
// box as soon as it is visible and submits it, and reports when the results
// (their count) are shown.
//
// Usage: node bench/first-paint.mjs URL DIST [--runs N] [--presses N] [PATH...]
// Run it through bench/first-paint.sh, which builds and serves the site.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startOnDemand } from './mobile-profile.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args.splice(at, 2)[1]) : fallback;
};
const runs = option('--runs', 5);
const presses = option('--presses', runs);
const [url, dist, ...given] = args;
if (!url || !dist || !(runs > 0)) {
  console.error('usage: node bench/first-paint.mjs URL DIST [--runs N] [--presses N] [PATH...]');
  process.exit(2);
}

const feed = JSON.parse(readFileSync(new URL('../content/feed.json', import.meta.url), 'utf8'));
const column = feed._gov.columns[0];
const paths = given.length ? given : [
  '/',
  '/article/kjj1-2023-00026',
  `/column/${typeof column === 'string' ? column : column.id}`,
  `/search?q=${encodeURIComponent('科技')}`,
  '/favourites',
];

/** Lighthouse's mobile "slow 4G" as the DevTools protocol takes it (bytes per second). */
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
  connectionType: 'cellular4g',
};
const CPU_SLOWDOWN = 4;
const DEVICE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

/** The top bar's controls, by the text a reader sees. */
const CONTROLS = ['简体', '繁體', '无障碍阅读', '长者模式', '加入收藏', '我的收藏', '登录', '注册'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** Runs in the page before its own scripts: records each moment once. */
function watch(controls) {
  const gk = (window.__gk = { longtasks: [], lcp: 0, cls: 0 });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gk.longtasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gk.lcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) gk.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  const seen = (el) => Boolean(el) && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
    && el.getBoundingClientRect().width > 0;
  // The root on screen: the app's once it has taken over, else the static page's.
  const root = () => [...document.querySelectorAll('[data-gongkai] .gk-app')].find(seen);
  const checks = {
    content: (r) => seen(r.querySelector('.gk-main .gk-list__item, .gk-main .gk-article__title, .gk-main .gk-results__count, .gk-main h1')),
    search: (r) => ['.gk-search__input', '.gk-search__submit', '.gk-search__select']
      .every((s) => seen(r.querySelector(s))),
    controls: (r) => {
      const found = [...r.querySelectorAll('.gk-topbar button, .gk-topbar a')].filter(seen)
        .map((el) => el.textContent.replace(/\s+/g, ''));
      return controls.every((c) => found.some((text) => text.includes(c)));
    },
    font: (r) => seen(r.querySelector('.gk-fontsize')),
    app: (r) => r.dataset.js === 'on' && !document.querySelector('.gk-takeover[hidden]')
      && Boolean(r.querySelector('.gk-main > *')) && !r.querySelector('.gk-main .gk-loading'),
  };
  const frame = () => {
    const r = root();
    if (r) {
      for (const [name, check] of Object.entries(checks)) {
        if (gk[name] === undefined && check(r)) gk[name] = performance.now();
      }
      if (gk.pressed !== undefined && gk.elderOn === undefined && r.dataset.elder === 'on') {
        gk.elderOn = performance.now();
      }
      if (gk.results === undefined && seen(r.querySelector('.gk-results[data-query] .gk-results__count'))) {
        gk.results = performance.now();
      }
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  addEventListener('pointerdown', () => { if (gk.pressed === undefined) gk.pressed = performance.now(); }, true);
}

/** A fresh throttled context and page, with the fetched scripts and wasm recorded. */
async function open() {
  const context = await browser.newContext(DEVICE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const responses = new Map();
  const fetched = [];
  cdp.on('Network.responseReceived', (e) => responses.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const u = responses.get(e.requestId);
    if (u && /\.(?:js|wasm)(?:\?|$)/.test(new URL(u).pathname)) {
      fetched.push({ url: u, wire: e.encodedDataLength, at: e.timestamp });
    }
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.addInitScript(watch, CONTROLS);
  return { context, page, fetched };
}

/** Brotli bytes of a fetched file: its `.br` in DIST (what nginx sends). */
function brotliSize(fileUrl) {
  const path = decodeURIComponent(new URL(fileUrl).pathname);
  try {
    return statSync(join(dist, `${path}.br`)).size;
  } catch {
    return statSync(join(dist, path)).size;
  }
}

async function load(path) {
  const { context, page, fetched } = await open();
  try {
    await page.goto(new URL(path.replace(/^\//, ''), url).href, { timeout: 120_000 });
    // A list or article page starts the app on demand: the reader's search box, at once.
    await startOnDemand(page);
    await page.waitForFunction(() => window.__gk.app !== undefined, null, { timeout: 120_000, polling: 500 });
    // Whatever the page starts later (idle work, deferred chunks) within 3 s.
    await page.waitForTimeout(3000);
    const gk = await page.evaluate(() => window.__gk);
    const longest = Math.max(0, ...gk.longtasks.map(([, d]) => d));
    const blocking = gk.longtasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
    return {
      ...gk,
      longest,
      blocking,
      // Each file once: the app's own fetch of a chunk the boot module
      // fetched ahead is answered by the HTTP cache.
      brotli: [...new Set(fetched.map((f) => f.url))].reduce((sum, u) => sum + brotliSize(u), 0),
      wire: fetched.reduce((sum, f) => sum + f.wire, 0),
      files: fetched.map((f) => new URL(f.url).pathname.replace(/^.*\//, '')),
    };
  } finally {
    await context.close();
  }
}

/** Presses 长者模式 as soon as it can be pressed. */
async function pressElder(path) {
  const { context, page } = await open();
  try {
    await page.goto(new URL(path.replace(/^\//, ''), url).href, { timeout: 120_000, waitUntil: 'commit' });
    const button = page.locator('[data-gongkai] .gk-topbar button', { hasText: '长者模式' }).locator('visible=true');
    await button.first().click({ timeout: 120_000 });
    await page.waitForFunction(() => window.__gk.elderOn !== undefined, null, { timeout: 120_000, polling: 200 });
    await startOnDemand(page);
    await page.waitForFunction(() => window.__gk.app !== undefined, null, { timeout: 120_000, polling: 500 });
    const gk = await page.evaluate(() => ({
      ...window.__gk,
      kept: document.querySelector('.gk-app[data-js="on"]')?.dataset.elder === 'on',
    }));
    return { pressed: gk.pressed, effect: gk.elderOn, kept: gk.kept };
  } finally {
    await context.close();
  }
}

/** Types a query into the search box as soon as it is visible and submits it. */
async function submitSearch(path) {
  const { context, page } = await open();
  try {
    await page.goto(new URL(path.replace(/^\//, ''), url).href, { timeout: 120_000, waitUntil: 'commit' });
    const box = page.locator('[data-gongkai] .gk-search__input').locator('visible=true').first();
    await box.fill('科技', { timeout: 120_000 });
    const start = await page.evaluate(() => performance.timeOrigin);
    const typed = await page.evaluate(() => performance.now());
    await box.press('Enter');
    await page.waitForFunction(() => window.__gk?.results !== undefined, null, { timeout: 120_000, polling: 200 });
    const shown = await page.evaluate(() => performance.timeOrigin + window.__gk.results);
    return { submitted: typed, results: shown - start };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const v = values.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!v.length) return undefined;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const ms = (v) => (v === undefined ? '–' : (v / 1000).toFixed(2));
const range = (values) => {
  const v = values.filter((x) => x !== undefined);
  return v.length ? `${ms(Math.min(...v))}–${ms(Math.max(...v))}` : '–';
};
const kb = (b) => (b / 1000).toFixed(1);

const loads = new Map();
const pressed = new Map();
try {
  for (const path of paths) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await load(path));
    loads.set(path, samples);
  }
  for (const path of paths.slice(0, 2)) {
    const elder = [];
    const search = [];
    for (let i = 0; i < presses; i++) {
      elder.push(await pressElder(path));
      search.push(await submitSearch(path));
    }
    pressed.set(path, { elder, search });
  }
} finally {
  await browser.close();
}

const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`Lighthouse mobile profile (150 ms RTT, 1.6 Mbit/s down, CPU 4×, 390×844), ` +
  `cold loads, median of ${runs} (range in brackets), seconds from navigation start; load average now ${load1}:`);
console.log('| page | content | search box | top-bar controls | 字体 | app running | longest task (ms) | blocking (ms) | LCP | CLS | wasm+JS brotli (KB) | on the wire (KB) |');
console.log('| --- | --- | --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |');
for (const [path, s] of loads) {
  const cell = (k) => `${ms(median(s.map((x) => x[k])))} (${range(s.map((x) => x[k]))})`;
  console.log(`| \`${path}\` | ${cell('content')} | ${cell('search')} | ${cell('controls')} | ` +
    `${s.some((x) => x.font !== undefined) ? cell('font') : '–'} | ${cell('app')} | ` +
    `${median(s.map((x) => x.longest)).toFixed(0)} (max ${Math.max(...s.map((x) => x.longest)).toFixed(0)}) | ` +
    `${median(s.map((x) => x.blocking)).toFixed(0)} | ${ms(median(s.map((x) => x.lcp)))} | ` +
    `${Math.max(...s.map((x) => x.cls)).toFixed(4)} | ${kb(median(s.map((x) => x.brotli)))} | ${kb(median(s.map((x) => x.wire)))} |`);
}
for (const [path, s] of loads) {
  console.log(`    ${path}: fetched ${[...new Set(s.flatMap((x) => x.files))].join(', ')}`);
}
console.log('');
console.log(`Presses as soon as the control can be pressed, median of ${presses} cold loads (range):`);
console.log('| page | 长者模式 pressed | 长者模式 shown | still on when the app runs | search submitted | results shown |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [path, { elder, search }] of pressed) {
  const cell = (list, k) => `${ms(median(list.map((x) => x[k])))} (${range(list.map((x) => x[k]))})`;
  console.log(`| \`${path}\` | ${cell(elder, 'pressed')} | ${cell(elder, 'effect')} | ` +
    `${elder.filter((x) => x.kept).length}/${elder.length} | ${cell(search, 'submitted')} | ${cell(search, 'results')} |`);
}
