// The long tasks of a page's start, and what fills them (issue 16, TBT):
// one cold load on the Lighthouse mobile profile (150 ms RTT, 1.6 Mbit/s,
// CPU 4×, 390×844, as bench/first-paint.mjs), traced through the DevTools
// protocol (`Tracing.start`, the timeline categories Lighthouse records)
// from navigation until the app has shown the page and 3 s have passed.
// For every main-thread task over 50 ms it prints its start (from
// navigation), its length, and the largest events inside it (script
// evaluation and calls with their URL, wasm compilation, style, layout,
// paint), so each can be split or moved. A list or article page starts the
// app on demand (docs/performance.md): the load is traced, then the app is
// started as a reader does (the search box) and its start traced too; the
// time of that start is printed, so the tasks before it are the page's own.
//
// Usage: node bench/start-trace.mjs URL [PATH...]
// Run it through bench/start-trace.sh, which serves a built site.
import { chromium } from 'playwright-core';
import { PHONE, startOnDemand, throttle, waitForAppShown, waitsForReader } from './mobile-profile.mjs';

const [url, ...given] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/start-trace.mjs URL [PATH...]');
  process.exit(2);
}
const paths = given.length ? given : ['/', '/article/kjj1-2023-00026'];
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'blink.user_timing',
  'loading',
  'toplevel',
].join(',');

/** Every trace event of one traced load. */
async function trace(context, page, path) {
  const cdp = await throttle(context, page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await page.goto(new URL(path.replace(/^\//, ''), url).href);
  if (await waitsForReader(page)) {
    // Past the page's own tasks first: the load and 1 s of quiet.
    await page.waitForTimeout(1000);
    const at = await page.evaluate(() => Math.round(performance.now()));
    await startOnDemand(page);
    console.log(`${path}: the app waits for the reader; started at ${at} ms (search box)`);
  }
  await waitForAppShown(page);
  await page.waitForTimeout(3000);
  await cdp.send('Tracing.end');
  await complete;
  return events;
}

/** What an event is, in a few words. */
function label(e) {
  const d = e.args?.data ?? {};
  const where = d.url ? ` ${d.url.split('/').pop().slice(0, 40)}` : '';
  const fn = d.functionName ? ` ${d.functionName}` : '';
  return `${e.name}${fn}${where}`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const path of paths) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const events = await trace(context, page, path);
    // The renderer's main thread: the one running the page's navigation.
    const main = events.find((e) => e.name === 'TracingStartedInBrowser') &&
      events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' &&
        events.some((f) => f.pid === e.pid && f.name === 'ParseHTML'));
    if (!main) throw new Error(`no renderer main thread in the trace of ${path}`);
    const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
    const start = Math.min(...events.filter((e) => e.pid === main.pid && e.name === 'ParseHTML').map((e) => e.ts));
    const tasks = on.filter((e) => e.name === 'RunTask' && e.dur > 50_000);
    const blocking = tasks.reduce((sum, t) => sum + (t.dur / 1000 - 50), 0);
    console.log(`${path}: ${tasks.length} tasks over 50 ms, blocking ${Math.round(blocking)} ms (from the first HTML parse; CPU 4×)`);
    for (const t of tasks) {
      const inside = on
        .filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e.dur > 5_000 && e.name !== 'RunTask')
        .sort((a, b) => b.dur - a.dur)
        .slice(0, 6);
      console.log(`  at ${Math.round((t.ts - start) / 1000)} ms: ${Math.round(t.dur / 1000)} ms`);
      for (const e of inside) {
        console.log(`      ${String(Math.round(e.dur / 1000)).padStart(5)} ms  ${label(e)}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
