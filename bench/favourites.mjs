// Large favourites lists (issue 15, fault 7), in headless Chromium against
// the served site:
//   import   导入 of a file of 20,000 favourites on 我的收藏: the time from
//            the file input's change event to the first frame painted after
//            the result message appears, the longest task and the sum of
//            the long tasks (PerformanceObserver 'longtask', ≥ 50 ms) that
//            start in that time, and the article requests the page sent
//            until the network has been quiet for 2 s;
//   open     /favourites with 10,000 stored: the time from navigation start
//            to the first frame painted with a row listed, the time until
//            the last availability request has ended (the page is done),
//            the longest task and the sum of the long tasks until then, and
//            the article requests sent.
// Each is run N times in a fresh browser context; the median is printed
// (and every run). The ids are not in the feed, so each availability check
// is a 404, as for notices that have left it.
// Usage: node bench/favourites.mjs URL [N]   (N defaults to 3)
//   ONLY=import or ONLY=open runs one of the two; IMPORT_N (default 20000)
//   and STORED_N (default 10000) change the sizes.
// Run it through bench/favourites.sh, which serves a built site.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
if (!url) {
  console.error('usage: node bench/favourites.mjs URL [N]');
  process.exit(2);
}

/** `n` favourites as the app stores and exports them, newest-added first. */
function favourites(n) {
  const items = [];
  for (let i = n - 1; i >= 0; i--) {
    items.push({
      id: `bench-${String(i).padStart(5, '0')}`,
      title: `武山县科学技术局关于开展第 ${i} 批科技特派员工作的通知`,
      date: '2023-07-14T09:00:00+08:00',
      column: 'fdzdgknr',
      column_name: '法定主动公开内容',
      added_at: 1_700_000_000_000 + i,
    });
  }
  return { v: 1, items };
}

/** Long tasks from the start of the page, collected in `window.__gkLong`. */
function observeLongTasks() {
  window.__gkLong = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__gkLong.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x)} ms`;

/** Waits until no article request has started or been in flight for `quiet` ms. */
async function networkQuiet(state, quiet = 2000, limit = 600_000) {
  const start = Date.now();
  while (Date.now() - start < limit) {
    if (state.inFlight === 0 && Date.now() - state.last >= quiet) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`article requests still running after ${limit} ms`);
}

function countArticleRequests(page) {
  const state = { sent: 0, inFlight: 0, last: Date.now() };
  const isArticle = (r) => /\/bundle\/[^/]+\/items\//.test(r.url());
  page.on('request', (r) => {
    if (!isArticle(r)) return;
    state.sent += 1;
    state.inFlight += 1;
    state.last = Date.now();
  });
  const done = (r) => {
    if (!isArticle(r)) return;
    state.inFlight -= 1;
    state.last = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return state;
}

async function importRun(browser, file) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.addInitScript(observeLongTasks);
  await page.addInitScript(() => {
    document.addEventListener('change', (e) => {
      if (e.target.type === 'file') window.__gkImportStart = performance.now();
    }, true);
    new MutationObserver(() => {
      const message = document.querySelector('.gk-favs__message');
      if (window.__gkImportStart !== undefined && window.__gkImportShown === undefined
          && message && message.textContent.includes('导入')) {
        window.__gkImportShown = performance.now();
        requestAnimationFrame(() => {
          window.__gkImportPainted = performance.now();
        });
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(new URL('favourites', url).href);
  await page.locator('.gk-app[data-js="on"] .gk-favs__import').waitFor();
  const requests = countArticleRequests(page);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.gk-favs__import').click()]);
  await chooser.setFiles({ name: 'favourites.json', mimeType: 'application/json', buffer: file });
  await page.waitForFunction(() => window.__gkImportPainted !== undefined, null, { timeout: 600_000, polling: 200 });
  await networkQuiet(requests);
  const sample = await page.evaluate(() => {
    const from = window.__gkImportStart;
    const to = window.__gkImportPainted;
    // From the change event on: the task that dispatches it is the
    // browser's own handling of the chosen file (Playwright's setFiles of
    // a 5 MB buffer, ~0.5 s here), not the app's; the app reads the file
    // asynchronously, so its work is in the tasks after it.
    const tasks = window.__gkLong.filter((t) => t.start >= from && t.start < to);
    return {
      total: to - from,
      longest: Math.max(0, ...tasks.map((t) => t.duration)),
      blocked: tasks.reduce((sum, t) => sum + t.duration, 0),
      message: document.querySelector('.gk-favs__message').textContent,
      rows: document.querySelectorAll('.gk-favs__item').length,
    };
  });
  await context.close();
  return { ...sample, requests: requests.sent };
}

async function openRun(browser, stored) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.addInitScript(([value]) => {
    if (!sessionStorage.getItem('gk-bench-seeded')) {
      localStorage.setItem('gongkai.favourites', value);
      sessionStorage.setItem('gk-bench-seeded', '1');
    }
  }, [stored]);
  // Storage is per origin: seed it from a page of the site, then measure a
  // fresh navigation.
  await page.goto(new URL('no-such-page', url).href);
  await page.addInitScript(observeLongTasks);
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.gk-app[data-js="on"] .gk-favs__item')) {
        observer.disconnect();
        requestAnimationFrame(() => {
          window.__gkListed = performance.now();
        });
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const requests = countArticleRequests(page);
  const started = Date.now();
  await page.goto(new URL('favourites', url).href);
  await page.waitForFunction(() => window.__gkListed !== undefined, null, { timeout: 600_000, polling: 200 });
  await networkQuiet(requests);
  const done = requests.last - started;
  const sample = await page.evaluate(() => ({
    listed: window.__gkListed,
    longest: Math.max(0, ...window.__gkLong.map((t) => t.duration)),
    blocked: window.__gkLong.reduce((sum, t) => sum + t.duration, 0),
    rows: document.querySelectorAll('.gk-favs__item').length,
  }));
  await context.close();
  return { ...sample, done, requests: requests.sent };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const only = process.env.ONLY ?? '';
const importN = Number(process.env.IMPORT_N ?? 20_000);
const storedN = Number(process.env.STORED_N ?? 10_000);
try {
  if (only !== 'open') await importBench();
  if (only !== 'import') await openBench();
} finally {
  await browser.close();
}

async function importBench() {
  const file = Buffer.from(JSON.stringify(favourites(importN)));
  const imports = [];
  for (let i = 0; i < runs; i++) {
    const s = await importRun(browser, file);
    imports.push(s);
    console.log(`import ${importN} run ${i + 1}: ${ms(s.total)} total, longest task ${ms(s.longest)}, ` +
      `long tasks ${ms(s.blocked)}, ${s.requests} article requests, ${s.rows} rows shown; "${s.message.slice(0, 60)}…"`);
  }
  console.log(`import ${importN} (median of ${runs}): ${ms(median(imports.map((s) => s.total)))} total, ` +
    `longest task ${ms(median(imports.map((s) => s.longest)))}, ` +
    `${median(imports.map((s) => s.requests))} article requests`);
}

async function openBench() {
  const stored = JSON.stringify(favourites(storedN));
  const opens = [];
  for (let i = 0; i < runs; i++) {
    const s = await openRun(browser, stored);
    opens.push(s);
    console.log(`open /favourites with ${storedN} run ${i + 1}: listed at ${ms(s.listed)}, checks done at ${ms(s.done)}, ` +
      `longest task ${ms(s.longest)}, long tasks ${ms(s.blocked)}, ${s.requests} article requests, ${s.rows} rows shown`);
  }
  console.log(`open /favourites with ${storedN} (median of ${runs}): listed at ${ms(median(opens.map((s) => s.listed)))}, ` +
    `checks done at ${ms(median(opens.map((s) => s.done)))}, longest task ${ms(median(opens.map((s) => s.longest)))}, ` +
    `${median(opens.map((s) => s.requests))} article requests`);
}
