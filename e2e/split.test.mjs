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

// Loads `path` with the requests matching `hold` held back until every
// file of `files` has been requested (`kind` names a request's file, or
// null), or 5 s have passed: a deadline, not a wait for time to pass (an
// old build never requests them and would hold the rest for ever).
// Returns each request of a file `kind` names, in order, with whether it
// was made while the others were held.
async function loadHolding(session, path, shown, hold, files, kind) {
  const seen = [];
  let holding = true;
  let allSeen;
  const all = new Promise((resolve) => {
    allSeen = resolve;
  });
  session.page.on('request', (request) => {
    const file = kind(new URL(request.url()).pathname);
    if (!file) return;
    seen.push({ file, held: holding });
    if (files.every((f) => seen.some((s) => s.file === f))) allSeen();
  });
  await session.page.route(hold, routeHandler(async (route) => {
    let timer;
    await Promise.race([all, new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
    clearTimeout(timer);
    holding = false;
    await route.continue();
  }));
  await session.page.goto(urlFor(path));
  await eventually(async () => assert.ok(await session.page.locator(shown).count() > 0, `${path} shows ${shown}`));
  await session.page.waitForLoadState('networkidle');
  return seen;
}

for (const [path, shown, files] of EARLY) {
  test(`early requests: a first load of ${path} requests ${files.join(' and ')} once, before the main wasm has arrived`, async (t) => {
    await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
      const seen = await loadHolding(session, path, shown, /\/gongkai-app-[0-9a-f]+_bg\.wasm$/, files,
        (pathname) => files.find((f) => pathname.endsWith(`/bundle/${f}`)));
      for (const file of files) {
        const requests = seen.filter((s) => s.file === file);
        assert.equal(requests.length, 1, `${file} requested once: ${JSON.stringify(seen)}`);
        assert.ok(requests[0].held, `${file} requested while the main wasm was still on its way: ${JSON.stringify(seen)}`);
      }
    });
  });
}

// The wasm from the head (docs/performance.md, "The wasm from the head"):
// on /search and /favourites, which start the app at once, gk-boot.js
// requests the main wasm (and on /favourites the route's pack) as the head
// is parsed; the boot module and the split loader take those responses
// instead of fetching the files once they have loaded and run. Here the
// boot module is held until the files have been requested (or 5 s have
// passed, for a build that requests them from the boot module): each must
// be requested while it is held, and only once in the whole load.
const AHEAD = [
  ['/search?q=' + encodeURIComponent('科技'), '.gk-results__item', ['main']],
  ['/favourites', '.gk-favs', ['main', 'pack']],
];

for (const [path, shown, files] of AHEAD) {
  test(`the wasm from the head: a first load of ${path} requests ${files.join(' and ')} once, before the boot module has loaded`, async (t) => {
    await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
      const seen = await loadHolding(session, path, shown, /\/boot-[0-9a-f]+\.js$/, files,
        (pathname) => (/\/gongkai-app-[0-9a-f]+_bg\.wasm$/.test(pathname) ? 'main'
          : /\/gk-pack-[a-z]+-[0-9a-f]+\.bin$/.test(pathname) ? 'pack' : null));
      for (const file of ['main', 'pack']) {
        const requests = seen.filter((s) => s.file === file);
        assert.equal(requests.length, 1, `the ${file} file requested once: ${JSON.stringify(seen)}`);
        if (files.includes(file)) {
          assert.ok(requests[0].held, `the ${file} file requested before the boot module had loaded: ${JSON.stringify(seen)}`);
        }
      }
    });
  });
}

// The search pack after the page shows (docs/performance.md): /search is
// shown as soon as its chrome is complete, before its results, so the
// main wasm has the network to itself until then; the pack (the results
// page and the engine) is requested once the page is on screen.
test('search: the pack is requested once the page is on screen, not with the main wasm', async (t) => {
  await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
    const asked = [];
    await session.page.route(/\/gk-pack-search-[0-9a-f]+\.bin$/, routeHandler(async (route) => {
      asked.push(await session.page.evaluate(() =>
        document.querySelector('[data-gongkai] > .gk-takeover:not([hidden]) .gk-colnav') !== null));
      await route.continue();
    }));
    await session.page.goto(urlFor('/search?q=' + encodeURIComponent('科技')));
    await eventually(async () => assert.ok(await session.page.locator('.gk-results__item').count() > 0, 'the results show'));
    assert.deepEqual(asked, [true], 'one request for the pack, made with the page on screen');
  });
});

// One stylesheet (docs/performance.md, "One stylesheet"): trunk's nine
// were nine requests ahead of the scripts and the wasm on HTTP/1.1.
test('the shell links one stylesheet', async (t) => {
  await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
    const css = [];
    session.page.on('request', (request) => {
      if (request.resourceType() === 'stylesheet') css.push(new URL(request.url()).pathname);
    });
    await session.page.goto(urlFor('/favourites'));
    await eventually(async () => assert.ok(await session.page.locator('.gk-favs').count() > 0, '我的收藏 shows'));
    assert.equal(css.length, 1, `one stylesheet: ${JSON.stringify(css)}`);
  });
});
