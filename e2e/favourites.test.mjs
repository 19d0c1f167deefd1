// Journey: a reader keeps notices in 收藏 and never loses them (issue 6):
// favourite, reload, 我的收藏; two tabs in step; export and import into a
// fresh browser; a corrupt stored value; notices that left the feed; axe.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SitePage } from './pages.mjs';
import {
  ORIGINAL,
  RESOURCE_ERROR,
  beijingDate,
  columnOf,
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

/** The localStorage key of the favourites (src/state/favourites/store.rs). */
const KEY = 'gongkai.favourites';
const BACKUP = 'gongkai.favourites.corrupt';

const original = feed.items.find((i) => i._gov.index_no === ORIGINAL.indexNo);
const [first, second] = newestFirst().filter((i) => i.id !== original.id);

/** 我的收藏 and the article's 收藏 toggle, by role and accessible name. */
class FavouritesPage extends SitePage {
  /** The article page's toggle, inside main. */
  articleToggle() {
    return this.main().getByRole('button', { name: '加入收藏', exact: true });
  }

  /** The header link, named 我的收藏 (followed by the count when there are favourites). */
  headerLink() {
    return this.page.getByRole('link', { name: /^我的收藏/ }).first();
  }

  /** Titles listed on 我的收藏, in order. */
  async titles() {
    return (await this.main().locator('.gk-favs__list').getByRole('link').allInnerTexts()).map(normalize);
  }

  async expectTitles(expected, why) {
    await eventually(async () => assert.deepEqual(await this.titles(), expected, why));
  }

  async expectPressed(value, why) {
    await eventually(async () =>
      assert.equal(await this.articleToggle().getAttribute('aria-pressed'), value, `加入收藏 aria-pressed ${why}`),
    );
  }

  button(name) {
    return this.main().getByRole('button', { name, exact: true });
  }

  message() {
    return this.main().locator('.gk-favs__message');
  }

  async favourite(item) {
    await this.goto(`/article/${item.id}`);
    await this.expectHeading1(item.title);
    await this.articleToggle().click();
    await this.expectPressed('true', `after favouriting ${item.id}`);
  }

  async openList() {
    await this.goto('/favourites');
    await this.expectHeading1('我的收藏');
  }

  async stored() {
    return this.page.evaluate((key) => localStorage.getItem(key), KEY);
  }
}

/** Records the browser problems of an extra page of the session's context. */
function watch(session, page) {
  page.on('console', (msg) => msg.type() === 'error' && session.report('console error (second tab)', msg.text()));
  page.on('pageerror', (e) => session.report('uncaught exception (second tab)', e.stack || String(e)));
}

test('favourite an article, reload, and find it in 我的收藏', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new FavouritesPage(session);
    await page.goto(`/article/${original.id}`);
    await page.expectHeading1(ORIGINAL.title);
    await page.expectPressed('false', 'before');
    await page.articleToggle().click();
    await page.expectPressed('true', 'after the click');

    await session.page.reload();
    await page.expectHeading1(ORIGINAL.title);
    await page.expectPressed('true', 'after a reload');

    await eventually(async () =>
      assert.match(normalize(await page.headerLink().innerText()), /^我的收藏\s*1/, 'the header link counts 1'),
    );
    await page.headerLink().click();
    await page.expectPath('/favourites');
    await page.expectHeading1('我的收藏');
    await page.expectTitles([ORIGINAL.title], 'the favourite is listed');
    const row = page.main().locator('.gk-favs__item').first();
    const text = normalize(await row.innerText());
    assert.ok(text.includes(beijingDate(original.date_published)), `row shows the date: ${text}`);
    assert.ok(text.includes(columnOf(original).name), `row shows the column: ${text}`);
    await session.checkPage('我的收藏 with one favourite');

    await row.getByRole('link').click();
    await page.expectHeading1(ORIGINAL.title);
  });
});

test('two tabs of the same browser stay in step without a reload', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const a = new FavouritesPage(session);
    await a.openList();
    const tab = await session.context.newPage();
    watch(session, tab);
    const b = new FavouritesPage({ ...session, page: tab });
    await b.favourite(first);

    await a.expectTitles([first.title], 'the other tab shows the new favourite');
    await a.main().getByRole('button', { name: new RegExp(`^移除`) }).first().click();
    await a.expectTitles([], 'removed');
    await b.expectPressed('false', 'in the other tab after 移除');
    await tab.close();
  });
});

test('export, then import into a fresh browser, gives the same list', async (t) => {
  let file;
  let exported;
  await withPage(browser, t, {}, async (session) => {
    const page = new FavouritesPage(session);
    await page.favourite(first);
    await page.favourite(second);
    await page.openList();
    await page.expectTitles([second.title, first.title], 'newest-added first');
    exported = await page.titles();

    const [download] = await Promise.all([session.page.waitForEvent('download'), page.button('导出').click()]);
    assert.match(download.suggestedFilename(), /^gongkai-favourites-\d{8}\.json$/);
    // The download's own file goes when its browser context closes; keep a copy.
    file = join(mkdtempSync(join(tmpdir(), 'gk-favs-')), download.suggestedFilename());
    await download.saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(json.v, 1);
    assert.deepEqual(
      json.items.map((i) => i.id),
      [second.id, first.id],
    );
    await eventually(async () => assert.match(normalize(await page.message().innerText()), /已导出 2 条收藏/));
  });

  await withPage(browser, t, {}, async (session) => {
    const page = new FavouritesPage(session);
    await page.openList();
    await page.expectTitles([], 'a fresh browser has no favourites');
    const [chooser] = await Promise.all([session.page.waitForEvent('filechooser'), page.button('导入').click()]);
    await chooser.setFiles(file);
    await eventually(async () =>
      assert.match(normalize(await page.message().innerText()), /导入完成:新增 2 条,已有 0 条/),
    );
    await page.expectTitles(exported, 'the imported list is the exported one');

    // Importing the same file again adds nothing.
    const [again] = await Promise.all([session.page.waitForEvent('filechooser'), page.button('导入').click()]);
    await again.setFiles(file);
    await eventually(async () =>
      assert.match(normalize(await page.message().innerText()), /新增 0 条,已有 2 条/),
    );

    // A file that is not ours is refused with a reason, and changes nothing.
    const [wrong] = await Promise.all([session.page.waitForEvent('filechooser'), page.button('导入').click()]);
    await wrong.setFiles({ name: 'feed.json', mimeType: 'application/json', buffer: Buffer.from('{"version":"x"}') });
    await eventually(async () =>
      assert.match(normalize(await page.message().innerText()), /导入失败:这不是收藏文件/),
    );
    await page.expectTitles(exported, 'unchanged by a wrong file');
  });
});

test('a corrupt stored value leaves the site working, kept under the backup key', async (t) => {
  const bad = '{"v":1,"items":[{"id":';
  await withPage(browser, t, {}, async (session) => {
    await session.page.addInitScript(
      ([key, bad]) => {
        if (!sessionStorage.getItem('seeded-favourites')) {
          localStorage.setItem(key, bad);
          sessionStorage.setItem('seeded-favourites', '1');
        }
      },
      [KEY, bad],
    );
    const page = new FavouritesPage(session);
    await page.goto('/');
    await page.expectHeading1('政府信息公开');
    const notice = session.page.getByRole('status').filter({ hasText: '保存的收藏无法读取' });
    await notice.waitFor({ state: 'visible' });
    const backup = await session.page.evaluate((key) => localStorage.getItem(key), BACKUP);
    assert.equal(backup, bad, `the unreadable value is kept under ${BACKUP}`);
    await session.checkPage('corrupt favourites notice');

    const [download] = await Promise.all([
      session.page.waitForEvent('download'),
      notice.getByRole('button', { name: '下载原数据', exact: true }).click(),
    ]);
    assert.equal(readFileSync(await download.path(), 'utf8'), bad, 'the download is the value as it was');
    await notice.getByRole('button', { name: '知道了', exact: true }).click();
    await notice.waitFor({ state: 'detached' });

    // Favourites work again and are saved.
    await page.favourite(original);
    await session.page.reload();
    await page.expectPressed('true', 'after a reload');
    assert.ok((await page.stored()).includes(original.id));
  });
});

test('a notice that left the feed stays listed, marked 已下线', async (t) => {
  const gone = { id: 'gone-2019-00001', title: '已删除的旧通知', date: '2019-01-02T09:00:00+08:00', column: 'fdzdgknr' };
  const value = JSON.stringify({
    v: 1,
    items: [
      { ...gone, column_name: '法定主动公开内容', added_at: 2 },
      {
        id: original.id,
        title: original.title,
        date: original.date_published,
        column: columnOf(original).id,
        column_name: columnOf(original).name,
        added_at: 1,
      },
    ],
  });
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(404)] }, async (session) => {
    await session.page.addInitScript(
      ([key, value]) => {
        if (!sessionStorage.getItem('seeded-favourites')) {
          localStorage.setItem(key, value);
          sessionStorage.setItem('seeded-favourites', '1');
        }
      },
      [KEY, value],
    );
    const page = new FavouritesPage(session);
    await page.openList();
    await page.expectTitles([gone.title, ORIGINAL.title], 'both listed');
    const rows = page.main().locator('.gk-favs__item');
    await eventually(async () => {
      assert.ok(normalize(await rows.nth(0).innerText()).includes('已下线'), 'the missing notice is marked 已下线');
    });
    assert.ok(!normalize(await rows.nth(1).innerText()).includes('已下线'), 'the notice in the feed is not marked');
    assert.ok(normalize(await rows.nth(0).innerText()).includes('2019-01-02'), 'its stored date is shown');
  });
});

test('我的收藏 passes axe: empty, listed, filtered, and while confirming 清空', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new FavouritesPage(session);
    await page.openList();
    await eventually(async () => assert.ok(normalize(await page.main().innerText()).includes('还没有收藏')));
    await session.checkPage('我的收藏 empty');

    await page.favourite(first);
    await page.favourite(original);
    await page.openList();
    await page.expectTitles([ORIGINAL.title, first.title]);
    await session.checkPage('我的收藏 with favourites');

    const filter = page.main().getByRole('combobox', { name: '栏目筛选' });
    await filter.selectOption(columnOf(original).id);
    await eventually(async () => assert.ok((await page.titles()).includes(ORIGINAL.title)));

    await page.button('清空').click();
    const confirm = page.main().getByRole('group', { name: /确定清空全部 2 条收藏/ });
    await confirm.waitFor({ state: 'visible' });
    await session.checkPage('我的收藏 confirming 清空');
    await confirm.getByRole('button', { name: '确定', exact: true }).click();
    await page.expectTitles([], 'cleared');
    await eventually(async () => assert.equal(JSON.parse(await page.stored()).items.length, 0));
  });
});
