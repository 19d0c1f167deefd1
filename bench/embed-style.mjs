// The style cost of the in-page host shield (style/base.css,
// `.gk-app:where([data-embed="inpage"]) :where(*) { all: revert }`): Chromium's
// RecalcStyleDuration for the in-page example's home page, with the shield
// and with the same stylesheet minus that rule, alternating, median of RUNS.
//   node bench/embed-style.mjs http://127.0.0.1:8080/ [RUNS]
import { chromium } from 'playwright-core';

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 11);
if (!base) {
  console.error('usage: node bench/embed-style.mjs SITE_URL [RUNS]');
  process.exit(2);
}
const RULE = /\.gk-app:where\(\[data-embed="?inpage"?\]\) :where\(\*\)\s*\{\s*all:\s*revert;?\s*\}/;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });

async function load(withShield) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (!withShield) {
    // scripts/trunk-post-build joins the stylesheets into one (gongkai-<hash>.css).
    await context.route(/\/gongkai-[0-9a-f]+\.css$/, async (route) => {
      const response = await route.fetch();
      const css = await response.text();
      if (!RULE.test(css)) throw new Error('the shield rule is not in the stylesheet: update RULE');
      await route.fulfill({ response, body: css.replace(RULE, '') });
    });
  }
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(new URL('examples/inpage/', base).href);
  await page.locator('.gk-list__item').first().waitFor();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const { metrics } = await cdp.send('Performance.getMetrics');
  await context.close();
  return metrics.find((m) => m.name === 'RecalcStyleDuration').value * 1000;
}

const times = { with: [], without: [] };
for (let i = 0; i < runs; i += 1) {
  times.with.push(await load(true));
  times.without.push(await load(false));
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`in-page home, style recalculation, median of ${runs} loads:`);
console.log(`  with the shield    ${median(times.with).toFixed(1)} ms`);
console.log(`  without the shield ${median(times.without).toFixed(1)} ms`);
