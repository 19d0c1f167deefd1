// Loads URL (the home page) cold in headless Chromium, waits until the first
// list is rendered and the network has been idle, and lists every request
// under /bundle/ with its bytes on the wire. Exits 3 when the page fetched
// anything but the manifest and one list page (each at most once).
// Usage: node bench/home-bytes.mjs URL
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) {
  console.error('usage: node bench/home-bytes.mjs URL');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
let failed = false;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [];
  page.on('requestfinished', async (request) => {
    if (!new URL(request.url()).pathname.includes('/bundle/')) return;
    const sizes = await request.sizes();
    requests.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
  });
  await page.goto(url);
  await page.waitForSelector('.gk-list__item', { timeout: 30000 });
  await page.waitForLoadState('networkidle');
  const all = await page.evaluate(() => performance.getEntriesByType('resource')
    .reduce((sum, e) => sum + e.transferSize, 0) + performance.getEntriesByType('navigation')[0].transferSize);
  for (const r of requests) console.log(`  ${String(r.bytes).padStart(8)} B  ${r.url}`);
  const data = requests.reduce((sum, r) => sum + r.bytes, 0);
  console.log(`home page: ${requests.length} bundle requests, ${data} B of data; ${all} B in all`);
  const paths = requests.map((r) => new URL(r.url).pathname.replace(/^.*\/bundle\//, ''));
  const manifests = paths.filter((p) => p === 'manifest.json').length;
  const lists = paths.filter((p) => /^zh-Han[st]\/list\//.test(p)).length;
  if (manifests > 1 || lists > 1 || paths.length !== manifests + lists) {
    console.log('over budget: the home page must fetch only the manifest and one list page, once each');
    failed = true;
  }
} finally {
  await browser.close();
}
process.exit(failed ? 3 : 0);
