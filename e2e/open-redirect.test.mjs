// Issue 15, fault 2: an open redirect. With 繁體 stored, a link to the site
// written as `//evil.example/` (or `/\evil.example/`, …) ended on the other
// host: the page's script switch wrote `pathname + ?lang=zh-Hant` back into
// the address, and a path that starts with two slashes is the address of
// another host. Whatever serves such a path, the reader stays on the site.
//
// Every request to another host is recorded and refused, and each test
// ends by asserting that there was none and that the page's origin is the
// site's.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SitePage } from './pages.mjs';
import { BASE_URL, launchBrowser, routeHandler, seedSettings, urlFor, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const SITE = new URL(BASE_URL).origin;

/**
 * Paths that a browser, a router or a string concatenation can read as the
 * address of evil.example, as typed after the site's origin. The browser
 * turns `\` into `/` before sending (so `/\…` arrives as `//…`).
 */
const HOSTILE = [
  '//evil.example/',
  '/\\evil.example/',
  '/%5Cevil.example/',
  '/%5cevil.example/',
  '///evil.example',
  '//evil.example/article/x?page=2#top',
  '/%2F%2Fevil.example/',
];

/** Whether a request path (as sent) is one of the hostile forms. */
const hostilePath = (pathname) => /^\/(?:\/|\\|%5c|%2f)/i.test(pathname);

/**
 * Refuses and records every request to a host other than the site's
 * (`session.foreign`), so that leaving the site shows up as a request.
 */
async function guardOrigin(session) {
  session.foreign = [];
  await session.context.route(
    (url) => url.origin !== SITE,
    routeHandler(async (route) => {
      session.foreign.push(route.request().url());
      await route.abort('blockedbyclient');
    }),
  );
  // The refused navigation is reported as a failed load.
  session.allowConsole.push(/ERR_BLOCKED_BY_CLIENT/);
}

/**
 * Serves the app's index.html for the hostile paths, as a server with a
 * history fallback for every path does (deploy/nginx.conf did before it
 * answered them with 404): the app itself must not leave the site.
 */
async function serveAppForHostilePaths(session) {
  await session.context.route(
    (url) => url.origin === SITE && hostilePath(url.pathname),
    routeHandler(async (route) => {
      const response = await route.fetch({ url: urlFor('/no-such-page') });
      await route.fulfill({ response });
    }),
  );
}

/** Opens `path` (raw, after the origin); a navigation the guard refused may throw. */
async function open(session, path) {
  try {
    return await session.page.goto(`${SITE}${path}`);
  } catch (error) {
    if (session.foreign.length === 0) throw error;
    return null;
  }
}

/**
 * Waits until either the app has settled on the site (its 404 page, with
 * `lang=zh-Hant` in the address when `hant`), or a request left the site;
 * then asserts the second never happened.
 */
async function expectStayed(session, path, { hant = true } = {}) {
  const page = session.page;
  const settled = (async () => {
    await page.locator('[data-gongkai] .gk-app[data-js="on"]').waitFor({ state: 'visible' });
    await page.getByRole('heading', { level: 1, name: hant ? '頁面不存在' : '页面不存在' }).waitFor();
    if (hant) await page.waitForURL((url) => url.searchParams.get('lang') === 'zh-Hant');
  })();
  // Handled here; awaited (and its failure reported) at the end.
  settled.catch(() => {});
  let check;
  const left = new Promise((resolve) => {
    check = setInterval(() => session.foreign.length > 0 && resolve(), 50);
  });
  await Promise.race([settled, left]).finally(() => clearInterval(check));
  assert.deepEqual(session.foreign, [], `${path}: the page requested another host`);
  assert.equal(new URL(page.url()).origin, SITE, `${path}: the page ended on ${page.url()}`);
  await settled;
}

test('open redirect: with 繁體 stored, the boot script keeps //evil.example/ and the like on the site', async (t) => {
  for (const path of HOSTILE) {
    await withPage(browser, t, {}, async (session) => {
      await guardOrigin(session);
      await seedSettings(session.context, { script: 'zh-Hant' });
      await serveAppForHostilePaths(session);
      await open(session, path);
      await expectStayed(session, path);
    });
  }
});

test('open redirect: with 繁體 stored and no boot script, the app (ScriptSync) keeps the reader on the site', async (t) => {
  for (const path of HOSTILE) {
    await withPage(browser, t, { allowConsole: [/gk-boot\.js/, /Failed to load resource/] }, async (session) => {
      await guardOrigin(session);
      await seedSettings(session.context, { script: 'zh-Hant' });
      await serveAppForHostilePaths(session);
      // Without public/gk-boot.js (blocked, or an embedding page that does
      // not load it) the app writes `lang` into the address itself.
      await session.context.route('**/gk-boot.js', routeHandler((route) => route.abort()));
      await open(session, path);
      await expectStayed(session, path);
    });
  }
});

test('open redirect: the 繁體 button on a page at //evil.example/ keeps the reader on the site', async (t) => {
  for (const path of ['//evil.example/', '/\\evil.example/', '///evil.example']) {
    await withPage(browser, t, {}, async (session) => {
      await guardOrigin(session);
      await serveAppForHostilePaths(session);
      await open(session, path);
      await expectStayed(session, path, { hant: false });
      await new SitePage(session).topBarButton('繁體').click();
      await expectStayed(session, path);
    });
  }
});

test('open redirect: the deployed server answers //evil.example/ and the like with 404, and the page stays', async (t) => {
  for (const path of HOSTILE) {
    await withPage(browser, t, { allowConsole: [/status of 404/] }, async (session) => {
      await guardOrigin(session);
      await seedSettings(session.context, { script: 'zh-Hant' });
      const response = await open(session, path);
      assert.deepEqual(session.foreign, [], `${path}: the page requested another host`);
      assert.equal(response?.status(), 404, `${path}: expected the server's 404, got ${response?.status()}`);
      assert.equal(new URL(session.page.url()).origin, SITE, `${path}: the page ended on ${session.page.url()}`);
      assert.equal(await session.page.locator('[data-gongkai]').count(), 0, `${path}: the app is not served there`);
    });
  }
});
