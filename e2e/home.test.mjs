// Journey: a reader opens the home page of the disclosure site.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListPage } from './pages.mjs';
import {
  SITE,
  assertListPage,
  beijingDate,
  columnOf,
  columns,
  eventually,
  feed,
  launchBrowser,
  newestFirst,
  normalize,
  withPage,
} from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const TOP_BAR_BUTTONS = ['简体', '繁體', '无障碍阅读', '长者模式', '加入收藏'];

test('home page: language, title, masthead, top bar, columns and the newest 20 notices', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const home = new ListPage(session);
    await home.goto('/');
    await home.waitForList();

    const lang = await session.page.locator('html').getAttribute('lang');
    assert.equal(lang, 'zh-CN', 'expected <html lang="zh-CN">');
    await eventually(async () => {
      const title = await session.page.title();
      assert.ok(title.endsWith(SITE.titleSuffix), `expected the document title to end with "${SITE.titleSuffix}", saw "${title}"`);
    });

    for (const name of TOP_BAR_BUTTONS) {
      assert.equal(await home.topBarButton(name).count(), 1, `expected one button named exactly "${name}" in the top bar`);
      assert.ok(await home.topBarButton(name).isVisible(), `expected the button "${name}" to be visible`);
    }
    const login = await home.link('登录').getAttribute('href');
    assert.equal(login, feed._gov.login_url, 'expected the 登录 link to go to _gov.login_url of content/feed.json');
    const register = await home.link('注册').getAttribute('href');
    assert.equal(register, feed._gov.register_url, 'expected the 注册 link to go to _gov.register_url of content/feed.json');

    for (const text of [SITE.name, SITE.department]) {
      assert.ok(
        await session.page.getByText(text, { exact: true }).first().isVisible(),
        `expected the masthead to show "${text}"`,
      );
    }
    await home.expectHeading1(SITE.section);

    assert.ok(await home.columnsNav().isVisible(), 'expected a navigation named "栏目"');
    for (const name of ['全部', ...columns.map((c) => c.name)]) {
      assert.equal(await home.columnLink(name).count(), 1, `expected the 栏目 navigation to have one link "${name}"`);
    }

    await home.expectTitles((titles) => assertListPage(titles, feed.items, 1, 'home page'));
    for (const item of newestFirst().slice(0, 20)) {
      const text = normalize(await home.row(item.title).innerText());
      const date = beijingDate(item.date_published);
      assert.match(text, /\d{4}-\d{2}-\d{2}/, `expected the row of "${item.title}" to show a date as YYYY-MM-DD: "${text}"`);
      assert.ok(text.includes(date), `expected the row of "${item.title}" to show its date ${date}: "${text}"`);
      const column = columnOf(item).name;
      assert.ok(text.includes(column), `expected the row of "${item.title}" to show its column ${column}: "${text}"`);
    }

    await session.checkPage('home');
  });
});

test('home page: every top-bar control is reachable with Tab', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const home = new ListPage(session);
    await home.goto('/');
    await home.waitForList();

    const wanted = [...TOP_BAR_BUTTONS, '登录', '注册'];
    const reached = [];
    for (let i = 0; i < 60 && !wanted.every((w) => reached.includes(w)); i++) {
      await session.page.keyboard.press('Tab');
      const name = await session.page.evaluate(() => {
        const el = document.activeElement;
        return el ? (el.getAttribute('aria-label') || el.innerText || '').trim() : '';
      });
      reached.push(name);
    }
    const missing = wanted.filter((w) => !reached.includes(w));
    assert.deepEqual(missing, [], `expected Tab to reach ${wanted.join(', ')}; focus went through: ${reached.join(' → ')}`);
  });
});
