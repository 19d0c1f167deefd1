// Journey: a reader in Hong Kong switches the site to 繁體, shares a link,
// and switches back (issue 5).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SitePage } from './pages.mjs';
import { ORIGINAL, eventually, feed, launchBrowser, normalize, urlFor, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const original = feed.items.find((i) => i._gov.index_no === ORIGINAL.indexNo);
// OpenCC s2t of the title: 县科学技术局 → 縣科學技術局 (the check) and 扎实 → 紮實.
const HANT_TITLE = '武山縣科學技術局:紮實開展文明單位創建工作';

/** The first title of a list file of the bundle, read straight from the server. */
async function bundleFirstTitle(page, variant) {
  const manifest = await (await page.request.get(urlFor('/bundle/manifest.json'))).json();
  const list = await (await page.request.get(urlFor(`/bundle/${variant}/list/all/1.json?v=${manifest.content_hash}`))).json();
  return list.items[0].title;
}

async function expectScript(page, script) {
  const lang = script === 'zh-Hant' ? 'zh-Hant' : 'zh-CN';
  await eventually(async () => {
    assert.equal(await page.page.getAttribute('html', 'lang'), lang, `<html lang> for ${script}`);
    assert.equal(
      await page.topBarButton('繁體').getAttribute('aria-pressed'),
      script === 'zh-Hant' ? 'true' : 'false',
      '繁體 aria-pressed',
    );
    assert.equal(
      await page.topBarButton('简体').getAttribute('aria-pressed'),
      script === 'zh-Hant' ? 'false' : 'true',
      '简体 aria-pressed',
    );
  });
}

test('繁體 on the home page: whole page converted in place, scroll kept, URL and <html lang> updated', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SitePage(session);
    await page.goto('/');
    await page.expectHeading1('政府信息公开');
    const hansFirst = await bundleFirstTitle(session.page, 'zh-Hans');
    const hantFirst = await bundleFirstTitle(session.page, 'zh-Hant');
    assert.notEqual(hansFirst, hantFirst, 'the first notice title should differ between the variants');

    await session.page.evaluate(() => window.scrollTo(0, 600));
    const before = await session.page.evaluate(() => window.scrollY);
    // A script click, so that the browser does not scroll the button into view.
    await page.topBarButton('繁體').evaluate((b) => b.click());

    await page.expectHeading1('政府信息公開');
    await expectScript(page, 'zh-Hant');
    await page.expectPath('/?lang=zh-Hant');
    await eventually(async () => {
      const first = normalize(await session.page.locator('main .gk-list a').first().innerText());
      assert.equal(first, hantFirst, 'first notice in 繁體');
    });
    assert.ok(await session.page.getByText('甘肅政務服務網-武山', { exact: true }).isVisible(), 'site name in 繁體');
    assert.ok(await session.page.getByRole('navigation', { name: '欄目', exact: true }).isVisible(), '欄目 navigation');
    assert.ok(await page.topBarButton('無障礙閱讀').isVisible(), 'top bar in 繁體');
    const after = await session.page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(after - before) <= 40, `scroll position kept: ${before} before, ${after} after`);
    await session.checkPage('home in 繁體');

    // Links keep the script: page 2 stays in 繁體.
    await session.page.getByRole('link', { name: '第 2 頁', exact: true }).click();
    await page.expectPath('/?page=2&lang=zh-Hant');
    await expectScript(page, 'zh-Hant');
  });
});

test('繁體 article: the original notice reads 武山縣科學技術局, survives reload, and switches back', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SitePage(session);
    await page.goto(`/article/${original.id}`);
    await page.expectHeading1(ORIGINAL.title);
    await page.topBarButton('繁體').click();
    await page.expectHeading1(HANT_TITLE);
    await expectScript(page, 'zh-Hant');
    await page.expectPath(`/article/${original.id}?lang=zh-Hant`);
    const labels = (await session.page.locator('main dt').allInnerTexts()).map(normalize);
    assert.ok(labels.includes('發佈機構') && labels.includes('索引號'), `metadata labels in 繁體: ${labels}`);
    assert.ok(
      normalize(await session.page.title()).startsWith(HANT_TITLE),
      `document title in 繁體: ${await session.page.title()}`,
    );
    await session.checkPage('article in 繁體');

    await session.page.reload();
    await page.expectHeading1(HANT_TITLE);
    await expectScript(page, 'zh-Hant');

    // The preference is stored: a link without ?lang opens in 繁體 and says so in the URL.
    await page.goto('/');
    await page.expectHeading1('政府信息公開');
    await page.expectPath('/?lang=zh-Hant');

    await page.topBarButton('简体').click();
    await page.expectHeading1('政府信息公开');
    await expectScript(page, 'zh-Hans');
    await page.expectPath('/');
    await session.page.reload();
    await page.expectHeading1('政府信息公开');
  });
});

test('a shared ?lang=zh-Hant link opens in 繁體 in a fresh browser', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SitePage(session);
    await page.goto(`/article/${original.id}?lang=zh-Hant`);
    await page.expectHeading1(HANT_TITLE);
    await expectScript(page, 'zh-Hant');
  });
});

test('a corrupt stored setting is set aside, reported, and the site still works', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await session.page.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('gongkai.settings', '{"v":1,"script":');
        sessionStorage.setItem('seeded', '1');
      }
    });
    const page = new SitePage(session);
    await page.goto('/');
    await page.expectHeading1('政府信息公开');
    const notice = session.page.getByRole('status').filter({ hasText: '已恢复默认设置' });
    await notice.waitFor({ state: 'visible' });
    const backup = await session.page.evaluate(() => localStorage.getItem('gongkai.settings.corrupt'));
    assert.equal(backup, '{"v":1,"script":', 'the unreadable value is kept under gongkai.settings.corrupt');
    await session.checkPage('corrupt settings notice');
    await session.page.getByRole('button', { name: '知道了', exact: true }).click();
    await notice.waitFor({ state: 'detached' });
  });
});
