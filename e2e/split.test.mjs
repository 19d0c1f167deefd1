// The split wasm's chunks (issue 16, docs/performance.md "How chunks
// load"): a route opened first gets its page chunk and the shared chunks
// it needs in one request, its pack, not one request per chunk (wasm-split
// cuts about fifty shared chunks, most under 1 KB, and a route needs 14–34
// of them: each was a request, six at a time on HTTP/1.1).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, launchBrowser, routeHandler, urlFor, withPage } from './support.mjs';

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

// The early requests (issue 16, docs/performance.md "Early requests"): on
// /search?q=… the app's first requests ran one after the other once it
// had started: manifest, then the search meta (its URL carries the
// manifest's content hash), then the shards. The boot module now sends the
// manifest (and the search meta) while the main wasm downloads, and the
// app takes those responses instead of fetching them again. Here the main
// wasm is held until the early requests have been seen (or 5 s have
// passed, for a build that sends none): each must be seen while it is
// held, and only once in the whole load.
const EARLY = [
  ['/search?q=' + encodeURIComponent('科技'), '.gk-results__item', ['manifest.json', 'search/index.json']],
  ['/favourites', '.gk-favs', ['manifest.json']],
];

for (const [path, shown, files] of EARLY) {
  test(`early requests: a first load of ${path} requests ${files.join(' and ')} once, before the main wasm has arrived`, async (t) => {
    await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
      const seen = [];
      let held = true;
      let allSeen;
      const early = new Promise((resolve) => {
        allSeen = resolve;
      });
      session.page.on('request', (request) => {
        const file = files.find((f) => new URL(request.url()).pathname.endsWith(`/bundle/${f}`));
        if (!file) return;
        seen.push({ file, held });
        if (files.every((f) => seen.some((s) => s.file === f))) allSeen();
      });
      await session.page.route(/\/gongkai-app-[0-9a-f]+_bg\.wasm$/, routeHandler(async (route) => {
        // A deadline, not a wait for time to pass: an old build sends no
        // early request and would hold the wasm for ever.
        let timer;
        await Promise.race([early, new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
        clearTimeout(timer);
        held = false;
        await route.continue();
      }));
      await session.page.goto(urlFor(path));
      await eventually(async () => assert.ok(await session.page.locator(shown).count() > 0, `${path} shows ${shown}`));
      await session.page.waitForLoadState('networkidle');
      for (const file of files) {
        const requests = seen.filter((s) => s.file === file);
        assert.equal(requests.length, 1, `${file} requested once: ${JSON.stringify(seen)}`);
        assert.ok(requests[0].held, `${file} requested while the main wasm was still on its way: ${JSON.stringify(seen)}`);
      }
    });
  });
}
