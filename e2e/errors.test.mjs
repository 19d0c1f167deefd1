// Journey: the bundle is broken (missing manifest, corrupt JSON, a failing
// list page); the reader sees what failed and can retry.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorPanel, ListPage } from './pages.mjs';
import { RESOURCE_ERROR, launchBrowser, urlFor, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const MANIFEST = '**/bundle/manifest.json*';
const FIRST_LIST_PAGE = '**/bundle/zh-Hans/list/all/1.json*';

test('missing manifest: 加载失败 with HTTP 404 and the URL; 重试 recovers', async (t) => {
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(404)] }, async (session) => {
    await session.page.route(MANIFEST, (route) =>
      route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }),
    );
    const home = new ListPage(session);
    await home.goto('/');

    const error = new ErrorPanel(session);
    const text = await error.text();
    assert.ok(text.includes('HTTP 404'), `expected the error to name the status "HTTP 404": "${text}"`);
    const manifestUrl = urlFor('/bundle/manifest.json');
    assert.ok(
      text.includes(manifestUrl) || text.includes('bundle/manifest.json'),
      `expected the error to name the manifest URL ${manifestUrl}: "${text}"`,
    );
    assert.ok(await error.retry().isVisible(), 'expected a button "重试" in the alert');
    await session.checkPage('missing manifest');

    await session.page.unroute(MANIFEST);
    await error.retry().click();
    await home.waitForList();
    assert.equal(await error.alert.count(), 0, 'expected the alert to go away after 重试 succeeded');
  });
});

test('invalid manifest JSON: 加载失败 names the parse error', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await session.page.route(MANIFEST, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"format": 1,' }),
    );
    const home = new ListPage(session);
    await home.goto('/');

    const error = new ErrorPanel(session);
    const text = await error.text();
    assert.ok(text.includes('JSON') || text.includes('解析'), `expected the error to say the JSON could not be parsed (JSON / 解析): "${text}"`);
    assert.ok(text.includes('bundle/manifest.json'), `expected the error to name the manifest URL: "${text}"`);
    assert.ok(await error.retry().isVisible(), 'expected a button "重试" in the alert');
    await session.checkPage('invalid manifest');

    await session.page.unroute(MANIFEST);
    await error.retry().click();
    await home.waitForList();
  });
});

test('failing list page: 加载失败 with HTTP 500', async (t) => {
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(500)] }, async (session) => {
    await session.page.route(FIRST_LIST_PAGE, (route) =>
      route.fulfill({ status: 500, contentType: 'text/plain', body: 'server error' }),
    );
    const home = new ListPage(session);
    await home.goto('/');

    const error = new ErrorPanel(session);
    const text = await error.text();
    assert.ok(text.includes('HTTP 500'), `expected the error to name the status "HTTP 500": "${text}"`);
    assert.ok(text.includes('list/all/1.json'), `expected the error to name the list page URL: "${text}"`);
    assert.ok(await error.retry().isVisible(), 'expected a button "重试" in the alert');
    await session.checkPage('failing list page');

    await session.page.unroute(FIRST_LIST_PAGE);
    await error.retry().click();
    await home.waitForList();
  });
});
