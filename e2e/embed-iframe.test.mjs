// Embedding in an iframe (issue 7, docs/embedding.md): the example portal
// page /examples/iframe/ at http://portal.example frames the app's page
// /examples/frame/ at http://gongkai.example. Both names (and the other
// origins below) are mapped to the nginx under test, so the browser sees
// real cross-origin frames with the production headers (CSP frame-ancestors
// included) and the app posts its height across origins as in production.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE_URL, eventually, feed, launchBrowser, routeHandler, withPage } from './support.mjs';

const PORTAL = 'http://portal.example';
const OTHER = 'http://other.example';
const EVIL = 'http://evil.example';
const APP = 'http://gongkai.example';
const PARENT_PAGE = '/examples/iframe/';
const LOGIN = new URL(feed._gov.login_url);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Serves the example origins from the nginx under test (same path, headers
 * as nginx sends them), and the portal's 登录 page as a stub.
 */
async function mapOrigins(context) {
  for (const origin of [PORTAL, OTHER, EVIL, APP]) {
    await context.route(`${origin}/**`, routeHandler(async (route) => {
      const url = new URL(route.request().url());
      const target = new URL(url.pathname.replace(/^\//, '') + url.search, BASE_URL).href;
      const response = await route.fetch({ url: target });
      await route.fulfill({ response });
    }));
  }
  await context.route(`${LOGIN.origin}/**`, routeHandler((route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>登录</title><p>统一身份认证</p></html>',
    }),
  ));
}

/** Records every message the top page receives (origin and data). */
async function recordMessages(context) {
  await context.addInitScript(() => {
    if (window.top !== window) return;
    window.__gkMessages = [];
    window.addEventListener('message', (e) => window.__gkMessages.push({ origin: e.origin, data: e.data }));
  });
}

/** The app's frame, once its first list has rendered. */
async function appFrame(page) {
  await eventually(() => assert.ok(page.frames().some((f) => f.url().startsWith(`${APP}/`)), 'the app frame should load'));
  const frame = page.frames().find((f) => f.url().startsWith(`${APP}/`));
  await frame.locator('.gk-list__item').first().waitFor();
  return frame;
}

/** The frame element's height and the app document's heights inside it. */
async function heights(page, frame) {
  const outer = await page.locator('iframe[data-gongkai-frame]').evaluate((f) => f.getBoundingClientRect().height);
  const inner = await frame.evaluate(() => ({
    scroll: document.documentElement.scrollHeight,
    client: document.documentElement.clientHeight,
    app: document.querySelector('.gk-app').getBoundingClientRect().height,
  }));
  return { outer, ...inner };
}

/** Waits until the frame is exactly as tall as the app, with nothing to scroll inside. */
async function expectFitted(page, frame, why) {
  return eventually(async () => {
    const h = await heights(page, frame);
    assert.ok(Math.abs(h.outer - Math.ceil(h.app)) <= 1, `${why}: the frame is ${h.outer}px tall, the app ${h.app}px`);
    assert.ok(h.scroll <= h.client, `${why}: the frame scrolls inside (scrollHeight ${h.scroll} > clientHeight ${h.client})`);
    return h;
  });
}

test('iframe: the frame takes the height of the app and follows it, never scrolling inside', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    await recordMessages(context);
    await page.goto(`${PORTAL}${PARENT_PAGE}`);
    const frame = await appFrame(page);
    const home = await expectFitted(page, frame, 'home page');
    assert.ok(home.outer > 600, `the home list should make the frame taller than its initial 200px, is ${home.outer}px`);
    assert.equal(await frame.locator('.gk-app').getAttribute('data-embed'), 'frame');

    // A short page: 我的收藏 with nothing saved.
    await frame.getByRole('link', { name: '我的收藏', exact: true }).first().click();
    await eventually(() => assert.match(new URL(frame.url()).pathname, /^\/examples\/frame\/favourites$/));
    const short = await eventually(async () => {
      const h = await expectFitted(page, frame, '我的收藏');
      assert.ok(h.outer < home.outer, `the frame should shrink on a short page (${h.outer}px, home ${home.outer}px)`);
      return h;
    });

    // 长者模式 makes everything larger: the frame grows with it.
    await frame.getByRole('button', { name: '长者模式', exact: true }).click();
    await eventually(async () => {
      const h = await expectFitted(page, frame, '长者模式');
      assert.ok(h.outer > short.outer, `the frame should grow in 长者模式 (${h.outer}px, before ${short.outer}px)`);
    });
    await session.screenshot('iframe, 长者模式');

    const messages = await page.evaluate(() => window.__gkMessages);
    assert.ok(messages.length >= 3, `expected height messages, saw ${JSON.stringify(messages)}`);
    for (const m of messages) {
      assert.equal(m.origin, APP, 'every message comes from the app origin');
      assert.equal(m.data.version, 1);
      if (m.data.type === 'gongkai:navigation') {
        assert.deepEqual(Object.keys(m.data).sort(), ['type', 'version']);
        continue;
      }
      assert.deepEqual(Object.keys(m.data).sort(), ['height', 'type', 'version']);
      assert.equal(m.data.type, 'gongkai:height');
      assert.ok(Number.isInteger(m.data.height) && m.data.height > 0, `height ${m.data.height}`);
    }
    assert.equal(
      messages.filter((m) => m.data.type === 'gongkai:navigation').length,
      1,
      'one navigation message: the visit to 我的收藏 (长者模式 is not a new page)',
    );
  });
});

test('iframe: links to other sites open in the top window', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    await page.goto(`${PORTAL}${PARENT_PAGE}`);
    const frame = await appFrame(page);
    const login = frame.getByRole('link', { name: '登录', exact: true });
    await login.click();
    await eventually(() => assert.equal(page.url(), LOGIN.href, 'the top window should go to the portal 登录 page'));
    assert.equal(await page.title(), '登录');

    // Links inside the app stay in the frame.
    await page.goto(`${PORTAL}${PARENT_PAGE}`);
    const again = await appFrame(page);
    await again.locator('.gk-list__title').first().click();
    await eventually(() => assert.match(new URL(again.url()).pathname, /^\/examples\/frame\/article\//));
    assert.equal(page.url(), `${PORTAL}${PARENT_PAGE}`, 'the portal page stays while the app navigates');
  });
});

test('iframe: going to another page in the frame brings the top of the frame into view', async (t) => {
  await withPage(browser, t, { viewport: { width: 1280, height: 700 } }, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    await page.goto(`${PORTAL}${PARENT_PAGE}`);
    const frame = await appFrame(page);
    await expectFitted(page, frame, 'home page');
    const top = () => page.locator('iframe[data-gongkai-frame]').evaluate((f) => f.getBoundingClientRect().top);
    // The last notice of the list, far down the portal page.
    const last = frame.locator('.gk-list__title').last();
    await last.scrollIntoViewIfNeeded();
    assert.ok((await top()) < -200, `the portal should be scrolled past the frame's top, frame top at ${await top()}`);
    await last.click();
    await frame.locator('.gk-article__body').waitFor();
    await eventually(async () => {
      const at = await top();
      assert.ok(at >= -1 && at <= 1, `the frame's top should be at the top of the viewport, is at ${at}`);
    });
  });
});

test('iframe: the parent script obeys only well-formed messages from its frame', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    await page.goto(`${PORTAL}${PARENT_PAGE}`);
    const frame = await appFrame(page);
    const fitted = await expectFitted(page, frame, 'home page');
    const outer = () => page.locator('iframe[data-gongkai-frame]').evaluate((f) => f.getBoundingClientRect().height);

    // From the portal window itself (not the frame), and from the frame with
    // a wrong type or version or an absurd height: all ignored.
    await page.evaluate(() => window.postMessage({ type: 'gongkai:height', version: 1, height: 50 }, '*'));
    for (const data of [
      { type: 'gongkai:height', version: 2, height: 50 },
      { type: 'other', version: 1, height: 50 },
      { type: 'gongkai:height', version: 1, height: -5 },
      { type: 'gongkai:height', version: 1, height: 1e9 },
      'gongkai:height 50',
    ]) {
      await frame.evaluate(([d, origin]) => parent.postMessage(d, origin), [data, PORTAL]);
    }
    // A well-formed one from the frame is obeyed: once it has been, all the
    // earlier ones have been handled too (messages arrive in order).
    await frame.evaluate((origin) => parent.postMessage({ type: 'gongkai:height', version: 1, height: 321 }, origin), PORTAL);
    await eventually(async () => assert.equal(await outer(), 321, 'a well-formed message from the frame sets the height'));
    const ignored = await page.evaluate(() => document.querySelector('iframe[data-gongkai-frame]').dataset.gongkaiHeight);
    assert.equal(ignored, '321');
    assert.ok(fitted.outer !== 321);
  });
});

test('iframe: a parent at an origin the app was not told about receives nothing', async (t) => {
  const notListed = /framed by http:\/\/other\.example, which data-frame-parent-origin does not list/;
  await withPage(browser, t, { allowConsole: [notListed] }, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    await recordMessages(context);
    const seen = [];
    page.on('console', (m) => m.type() === 'error' && seen.push(m.text()));
    // other.example may frame the page (frame-ancestors) but is not in
    // data-frame-parent-origin.
    await page.goto(`${OTHER}${PARENT_PAGE}`);
    const frame = await appFrame(page);
    await eventually(() => assert.ok(seen.some((s) => notListed.test(s)), `expected the app to say why it does not report, saw ${seen}`));
    // The app has rendered and laid out (two animation frames after its
    // list): any report would have been posted by now.
    await frame.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.deepEqual(await page.evaluate(() => window.__gkMessages), [], 'the unlisted parent must receive no message');
    const outer = await page.locator('iframe[data-gongkai-frame]').evaluate((f) => f.getBoundingClientRect().height);
    assert.equal(outer, 200, 'the frame keeps the height the portal gave it');
  });
});

test('iframe: frame-ancestors keeps the app out of frames on other sites', async (t) => {
  const refused = /Framing 'http:\/\/gongkai\.example\/' violates the following Content Security Policy directive: "frame-ancestors 'self' http:\/\/portal\.example http:\/\/other\.example"/;
  await withPage(browser, t, { allowConsole: [refused] }, async (session) => {
    const { page, context } = session;
    await mapOrigins(context);
    const seen = [];
    page.on('console', (m) => m.type() === 'error' && seen.push(m.text()));
    await page.goto(`${EVIL}${PARENT_PAGE}`);
    await eventually(() => assert.ok(seen.some((s) => refused.test(s)), `expected Chromium to refuse the frame, saw ${seen}`));
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const apps = frame ? await frame.locator('.gk-app').count().catch(() => 0) : 0;
    assert.equal(apps, 0, 'the app must not run in a frame of evil.example');

    // The standalone page may be framed by its own origin only.
    const response = await page.request.get(new URL('/', BASE_URL).href);
    assert.match(response.headers()['content-security-policy'], /frame-ancestors 'self';/);
  });
});
