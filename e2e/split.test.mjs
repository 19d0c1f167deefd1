// The split wasm's chunks (issue 16, docs/performance.md "How chunks
// load"): a route opened first gets its page chunk and the shared chunks
// it needs in one request, its pack, not one request per chunk (wasm-split
// cuts about fifty shared chunks, most under 1 KB, and a route needs 14–34
// of them: each was a request, six at a time on HTTP/1.1).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchBrowser, urlFor, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const ROUTES = [
  ['/search?q=' + encodeURIComponent('科技'), '.gk-results__item'],
  ['/favourites', '.gk-favs'],
];

for (const [path, shown] of ROUTES) {
  test(`split: ${path} fetches its chunks in one pack, not one request each`, async (t) => {
    await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
      const wasm = [];
      session.page.on('request', (request) => {
        const name = new URL(request.url()).pathname.split('/').pop();
        if (name.endsWith('.wasm') || /^gk-pack-.*\.bin$/.test(name)) wasm.push(name);
      });
      await session.page.goto(urlFor(path));
      await eventually(async () => assert.ok(await session.page.locator(shown).count() > 0, `${path} shows ${shown}`));
      await session.page.waitForLoadState('networkidle');
      const packs = wasm.filter((n) => /^gk-pack-/.test(n));
      const shared = wasm.filter((n) => /^gk-shared\d+-/.test(n));
      assert.equal(packs.length, 1, `one pack: ${JSON.stringify(wasm)}`);
      assert.deepEqual(shared, [], 'no shared chunk on its own');
      assert.equal(wasm.length, 2, `the main module and the pack: ${JSON.stringify(wasm)}`);
    });
  });
}
