// Journey: a reader follows a stale or mistyped link.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SitePage } from './pages.mjs';
import { eventually, launchBrowser, normalize, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

// The app asks the bundle for items/<id>.json and gets nginx's 404, which
// the browser itself logs; the app must turn it into its 404 page.
const MISSING_ITEM = /Failed to load resource: the server responded with a status of 404/;

test('unknown article id: 页面不存在 naming the id, with 返回首页', async (t) => {
  await withPage(browser, t, { allowConsole: [MISSING_ITEM] }, async (session) => {
    const page = new SitePage(session);
    await page.goto('/article/no-such-id');
    await page.expectHeading1('页面不存在');
    await eventually(async () => {
      const text = normalize(await page.main().innerText());
      assert.ok(text.includes('no-such-id'), `expected the 404 page to mention the id "no-such-id": "${text}"`);
    });
    await page.link('返回首页').waitFor({ state: 'visible' });
    await session.checkPage('unknown article');

    await page.link('返回首页').click();
    await page.expectPath('/');
  });
});

test('unknown route: 页面不存在 with 返回首页', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SitePage(session);
    await page.goto('/no/such/page');
    await page.expectHeading1('页面不存在');
    await page.link('返回首页').waitFor({ state: 'visible' });
    await session.checkPage('unknown route');
  });
});
