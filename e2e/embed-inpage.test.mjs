// Embedding in-page (issue 7, docs/embedding.md): the example portal page
// /examples/inpage/ (examples/inpage/) has deliberately hostile CSS and
// mounts the app under the base path /examples/inpage/ with one script tag.
// Neither side may break the other: the host's elements keep every computed
// style when the app arrives, and the app measures the same as on its own
// page. Deep links, navigation and reload work under the base path.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  SITE,
  eventually,
  feed,
  launchBrowser,
  newestFirst,
  normalize,
  urlFor,
  withPage,
  routeHandler,
  startApp,
} from './support.mjs';

const HOST = '/examples/inpage/';
/** The attributes examples/inpage/index.html sets on the mount element. */
const EXAMPLE = {
  siteName: '示例门户',
  login: 'https://portal.example/uc/login?from=xxgk',
  register: 'https://portal.example/uc/register',
  brand: 'rgb(11, 79, 138)',
  title: '示例门户 - 政务公开',
};
/** The host's own elements (outside the app) whose styles must not change. */
const HOST_ELEMENTS = [
  'html',
  'body',
  '#portal-header',
  '.portal-title',
  '.portal-nav',
  '.portal-nav li',
  '.portal-nav a',
  '#portal-intro',
  '#portal-footer',
  '#portal-footer p',
  '#portal-footer a',
];

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Every computed style property (and pseudo-element content) of each host element. */
async function hostStyles(page) {
  return page.evaluate((selectors) => {
    const out = {};
    for (const selector of selectors) {
      const el = document.querySelector(selector);
      if (!el) throw new Error(`the example host page has no ${selector}`);
      const style = getComputedStyle(el);
      const props = {};
      for (let i = 0; i < style.length; i += 1) {
        const name = style[i];
        props[name] = style.getPropertyValue(name);
      }
      out[selector] = props;
    }
    return out;
  }, HOST_ELEMENTS);
}

/** What the host page owns outside the app: title, <html>/<body> attributes, window globals. */
async function hostState(page) {
  return page.evaluate(() => ({
    title: document.title,
    html: Array.from(document.documentElement.attributes, (a) => `${a.name}=${a.value}`),
    body: Array.from(document.body.attributes, (a) => `${a.name}=${a.value}`),
    bodyChildren: Array.from(document.body.children, (e) => e.tagName + (e.id ? `#${e.id}` : '')),
    globals: Object.getOwnPropertyNames(window).sort(),
  }));
}

/** Sizes of the app's key elements, rounded to 0.1 px. */
async function appLayout(page, selectors) {
  return page.evaluate((selectors) => {
    const out = {};
    for (const [name, selector] of Object.entries(selectors)) {
      const els = Array.from(document.querySelectorAll(selector)).slice(0, 6);
      out[name] = els.map((el) => {
        const r = el.getBoundingClientRect();
        return [Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
      });
    }
    out.root = [[Math.round(document.querySelector('.gk-app').getBoundingClientRect().width * 10) / 10]];
    return out;
  }, selectors);
}

function assertSameLayout(embedded, standalone, where) {
  for (const [name, sizes] of Object.entries(standalone)) {
    assert.ok(sizes.length > 0, `${where}: the standalone page shows no ${name}`);
    assert.equal(embedded[name].length, sizes.length, `${where}: ${name} count differs in-page (${embedded[name].length}) and standalone (${sizes.length})`);
    sizes.forEach((size, i) => {
      size.forEach((v, k) => {
        const got = embedded[name][i][k];
        assert.ok(
          Math.abs(got - v) <= 1,
          `${where}: ${name}[${i}] ${k ? 'height' : 'width'} is ${got}px in-page but ${v}px standalone`,
        );
      });
    });
  }
}

test('in-page: mounting the app changes no computed style, attribute or global of the host page', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    // Hold the one script tag until the host page has been measured alone.
    let release;
    const gate = new Promise((resolve) => {
      release = resolve;
    });
    await context.route('**/embed.js', routeHandler(async (route) => {
      await gate;
      await route.continue();
    }));
    await page.goto(urlFor(HOST), { waitUntil: 'commit' });
    await page.waitForSelector('#portal-footer', { state: 'attached' });
    assert.equal(await page.locator('.gk-app').count(), 0, 'the app should not have started yet');
    const before = await hostStyles(page);
    const stateBefore = await hostState(page);

    release();
    await page.locator('.gk-list__item').first().waitFor();
    // Let the app settle (manifest, list, fonts) before measuring again.
    await page.evaluate(() => document.fonts.ready);
    const afterStyles = await hostStyles(page);
    const stateAfter = await hostState(page);

    // The document grows by the app's height; that, and what derives from it
    // (the centre of <html>/<body> for transforms), is the only change allowed.
    const grows = ['height', 'block-size', 'perspective-origin', 'transform-origin'];
    for (const selector of HOST_ELEMENTS) {
      const changed = Object.keys(before[selector]).filter(
        (p) => before[selector][p] !== afterStyles[selector][p] && !(['html', 'body'].includes(selector) && grows.includes(p)),
      );
      assert.deepEqual(
        changed.map((p) => `${p}: ${before[selector][p]} → ${afterStyles[selector][p]}`),
        [],
        `the host's ${selector} changed its computed style when the app mounted`,
      );
    }
    assert.equal(stateAfter.title, EXAMPLE.title, 'the app must leave the host page title alone');
    assert.deepEqual(stateAfter.html, stateBefore.html, 'the app must not touch <html> (lang, class, style)');
    assert.deepEqual(stateAfter.body, stateBefore.body, 'the app must not touch <body>');
    assert.deepEqual(stateAfter.bodyChildren, stateBefore.bodyChildren, 'the app must add nothing to <body> outside its root');
    const added = stateAfter.globals.filter((g) => !stateBefore.globals.includes(g));
    assert.deepEqual(added, [], 'the app must add no globals to window');

    // Switching script changes the app's own lang, never the host's.
    await page.getByRole('button', { name: '繁體', exact: true }).click();
    await eventually(async () => {
      assert.equal(await page.locator('.gk-app').getAttribute('lang'), 'zh-Hant', 'the app root should carry lang="zh-Hant"');
    });
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN', 'the host <html lang> must stay zh-CN');
    assert.equal(await page.title(), EXAMPLE.title, 'the host page title must stay');
    await session.screenshot('in-page host, 繁體');
  });
});

test('in-page: the portal settings of the mount element override the manifest', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    await page.goto(urlFor(HOST));
    await page.locator('.gk-list__item').first().waitFor();
    assert.equal(await page.getByRole('link', { name: '登录', exact: true }).getAttribute('href'), EXAMPLE.login);
    assert.equal(await page.getByRole('link', { name: '注册', exact: true }).getAttribute('href'), EXAMPLE.register);
    await eventually(async () => {
      assert.equal(normalize(await page.locator('.gk-masthead__site').innerText()), EXAMPLE.siteName, 'data-site-name should name the site');
    });
    const masthead = await page.locator('.gk-masthead').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(masthead, EXAMPLE.brand, 'data-theme-brand should colour the masthead');
    await session.checkPage('in-page home');
  });
});

for (const viewport of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`in-page at ${viewport.width} px: the app measures the same as the standalone page`, async (t) => {
    await withPage(browser, t, { viewport }, async (session) => {
      const { page, context } = session;
      // Same content on both sides: the host page without its own site name
      // (a different name is a different masthead, not a layout fault).
      await context.route(`**${HOST}**`, routeHandler(async (route) => {
        if (route.request().resourceType() !== 'document') return route.fallback();
        const response = await route.fetch();
        // …and with the full footer, which the standalone page shows (the
        // host asks for it with data-footer="full").
        const body = (await response.text())
          .replace(/\sdata-site-name="[^"]*"/, '')
          .replace('data-gongkai', 'data-gongkai data-footer="full"');
        return route.fulfill({ response, body });
      }));
      const listParts = {
        topbar: '.gk-topbar',
        'top bar buttons': '.gk-topbar__button',
        masthead: '.gk-masthead',
        'column links': '.gk-colnav__link',
        'search form': '.gk-search',
        'list items': '.gk-list__item',
        'list titles': '.gk-list__title',
        pager: '.gk-pager',
        footer: '.gk-footer',
      };
      const measure = async (path, ready, parts) => {
        await page.goto(urlFor(path));
        await page.locator(ready).first().waitFor();
        // A list or article page starts the app on demand: as a reader does.
        await startApp(page);
        // The standalone page may be a static page the app takes over; measure
        // once only the app's own root is left (before the app has rendered
        // its hidden holder, the static root is alone too).
        await page.waitForFunction(() => document.querySelectorAll('.gk-app').length === 1 &&
          document.querySelector('.gk-app[data-js="on"]') !== null);
        await page.evaluate(() => document.fonts.ready);
        return appLayout(page, parts);
      };
      const standalone = await measure('/', '.gk-list__item', listParts);
      const embedded = await measure(HOST, '.gk-list__item', listParts);
      assertSameLayout(embedded, standalone, 'home page');

      const id = newestFirst()[0].id;
      const articleParts = {
        'article title': '.gk-article__title',
        'article body': '.gk-article__body',
        'article paragraphs': '.gk-article__body p',
        'metadata block': '.gk-meta',
        'top bar buttons': '.gk-topbar__button',
      };
      const standaloneArticle = await measure(`/article/${id}`, '.gk-article__body', articleParts);
      const embeddedArticle = await measure(`${HOST}article/${id}`, '.gk-article__body', articleParts);
      assertSameLayout(embeddedArticle, standaloneArticle, 'article page');
      await session.screenshot(`in-page article ${viewport.width}`);
    });
  });
}

test('in-page: links, Back and reload stay under the base path', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    await page.goto(urlFor(HOST));
    await page.locator('.gk-list__item').first().waitFor();
    const path = () => new URL(page.url()).pathname;

    const column = feed._gov.columns.map((c) => (typeof c === 'string' ? { id: c, name: c } : c))[0];
    const nav = page.getByRole('navigation', { name: '栏目', exact: true });
    assert.equal(await nav.getByRole('link', { name: column.name, exact: true }).getAttribute('href'), `${HOST}column/${column.id}`);
    // A client-side navigation keeps the page (and this marker) alive.
    await page.evaluate(() => {
      window.__gkSamePage = true;
    });
    await nav.getByRole('link', { name: column.name, exact: true }).click();
    await eventually(() => assert.equal(path(), `${HOST}column/${column.id}`));
    await eventually(async () => {
      const current = await nav.getByRole('link', { name: column.name, exact: true }).getAttribute('aria-current');
      assert.equal(current, 'page', 'the column link should be marked current under the base path');
    });
    const first = page.locator('.gk-list__title').first();
    const title = normalize(await first.innerText());
    assert.ok((await first.getAttribute('href')).startsWith(`${HOST}article/`), 'article links carry the base path');
    await first.click();
    await eventually(() => assert.match(path(), new RegExp(`^${HOST}article/`)));
    await eventually(async () => {
      assert.equal(normalize(await page.locator('.gk-article__title').innerText()), title);
    });
    assert.equal(await page.evaluate(() => window.__gkSamePage), true, 'navigation inside the app must not reload the host page');

    // Search stays under the base path too.
    await page.getByRole('searchbox').first().fill('科技');
    await page.getByRole('searchbox').first().press('Enter');
    await eventually(() => assert.equal(path(), `${HOST}search`));

    await page.goBack();
    await eventually(() => assert.match(path(), new RegExp(`^${HOST}article/`)));
    const deep = page.url();
    await page.reload();
    await eventually(async () => {
      assert.equal(normalize(await page.locator('.gk-article__title').innerText()), title, `reloading ${deep} should show the same article`);
    });
    assert.equal(await page.title(), EXAMPLE.title, 'the host title survives navigation');

    // The host's own links outside the base path are left to the browser.
    await page.evaluate(() => {
      window.__gkSamePage = true;
      const a = document.createElement('a');
      a.href = '/';
      a.id = 'portal-home';
      a.textContent = '门户首页';
      document.getElementById('portal-footer').append(a);
    });
    await page.locator('#portal-home').click();
    await eventually(() => assert.equal(path(), '/'));
    await page.locator('.gk-list__item').first().waitFor();
    assert.equal(await page.evaluate(() => window.__gkSamePage), undefined, 'a host link outside the base path should load a new page');
    assert.ok((await page.title()).endsWith(SITE.titleSuffix), 'the standalone page sets its own title');
  });
});

test('in-page: bad mount settings are named on the console and fall back safely', async (t) => {
  const expected = [
    /data-theme-brand="#fff" on the mount element: text contrast would be 1\.00:1/,
    /data-login-url="javascript:alert\(1\)" on the mount element: not an absolute http\(s\):\/\/ URL; using the manifest's URL/,
    /data-frame-parent-origin="\*" on the mount element: "\*" would send messages to any page/,
    /data-frame-parent-origin="\*" on the mount element: no valid origin/,
  ];
  await withPage(browser, t, { allowConsole: expected }, async (session) => {
    const { page, context } = session;
    const seen = [];
    page.on('console', (m) => m.type() === 'error' && seen.push(m.text()));
    await context.route(`**${HOST}`, routeHandler(async (route) => {
      const response = await route.fetch();
      const body = (await response.text())
        .replace('data-theme-brand="#0b4f8a"', 'data-theme-brand="#fff" data-frame-parent-origin="*"')
        .replace(EXAMPLE.login, 'javascript:alert(1)');
      await route.fulfill({ response, body });
    }));
    await page.goto(urlFor(HOST));
    await page.locator('.gk-list__item').first().waitFor();
    for (const re of expected) {
      assert.ok(seen.some((s) => re.test(s)), `expected a console error matching ${re}, saw:\n${seen.join('\n')}`);
    }
    assert.equal(await page.getByRole('link', { name: '登录', exact: true }).getAttribute('href'), feed._gov.login_url, 'a bad 登录 URL falls back to the manifest');
    const masthead = await page.locator('.gk-masthead').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(masthead, 'rgb(163, 18, 27)', 'an unreadable brand colour falls back to the default');
  });
});

test('in-page from another origin: the app, its styles and its bundle load under the CSP docs/embedding.md gives the host', async (t) => {
  const PORTAL = 'http://portal.example';
  const APP = 'http://gongkai.example';
  // The host page's policy, as docs/embedding.md tells a portal to write it.
  const HOST_CSP = [
    "default-src 'self'",
    `script-src 'self' ${APP} 'wasm-unsafe-eval'`,
    `style-src 'self' ${APP}`,
    `connect-src 'self' ${APP}`,
    `img-src 'self' ${APP} data:`,
    "object-src 'none'",
    "base-uri 'self'",
  ].join('; ');
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    // Both origins are served by the nginx under test, with its headers
    // (CORS included); the portal page gets the portal's own policy.
    for (const origin of [PORTAL, APP]) {
      await context.route(`${origin}/**`, routeHandler(async (route) => {
        const url = new URL(route.request().url());
        const response = await route.fetch({ url: urlFor(url.pathname + url.search) });
        if (origin === PORTAL && route.request().resourceType() === 'document') {
          const body = (await response.text())
            .replace('src="/embed.js"', `src="${APP}/embed.js"`)
            .replace('data-bundle="/bundle/"', `data-bundle="${APP}/bundle/"`);
          return route.fulfill({ response, body, headers: { ...response.headers(), 'content-security-policy': HOST_CSP } });
        }
        return route.fulfill({ response });
      }));
    }
    await page.goto(`${PORTAL}${HOST}`);
    await page.locator('.gk-list__item').first().waitFor();
    const stylesheets = await page.evaluate(() => Array.from(document.styleSheets, (s) => s.href).filter(Boolean));
    assert.ok(stylesheets.some((h) => h.startsWith(`${APP}/gongkai-`)), `the app's stylesheet comes from ${APP}: ${stylesheets}`);
    const first = page.locator('.gk-list__title').first();
    assert.ok((await first.getAttribute('href')).startsWith(HOST), 'links stay on the portal, under the base path');
    await first.click();
    await page.locator('.gk-article__body').waitFor();
    assert.ok(page.url().startsWith(`${PORTAL}${HOST}article/`), page.url());

    // Requests the route above fulfils are not CORS-checked by the browser,
    // so the server's answer is checked here: the listed portal gets
    // Access-Control-Allow-Origin, any other origin does not.
    for (const path of ['/embed.js', '/bundle/manifest.json']) {
      const allowed = await page.request.get(urlFor(path), { headers: { Origin: PORTAL } });
      assert.equal(allowed.headers()['access-control-allow-origin'], PORTAL, `${path} should allow ${PORTAL}`);
      const other = await page.request.get(urlFor(path), { headers: { Origin: 'http://evil.example' } });
      assert.equal(other.headers()['access-control-allow-origin'], undefined, `${path} must not allow http://evil.example`);
    }
  });
});
