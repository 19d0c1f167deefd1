// Journey: a reader keeps notices in 收藏 and never loses them (issue 6):
// favourite, reload, 我的收藏; two tabs in step; export and import into a
// fresh browser; a corrupt stored value; notices that left the feed; axe.
// Large lists (issue 15, fault 7): 我的收藏 a page at a time, availability
// checked for the page shown only, a few requests at a time; an import
// capped at 10,000 with a message; a full storage said, not lost.

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
  routeHandler,
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

/** Feed item `item` as a stored favourite added at `addedAt` (Unix ms). */
function storedFavourite(item, addedAt) {
  return {
    id: item.id,
    title: item.title,
    date: item.date_published,
    column: columnOf(item).id,
    column_name: columnOf(item).name,
    added_at: addedAt,
  };
}

/** The most favourites the list takes (src/state/favourites.rs MAX_FAVOURITES). */
const MAX_FAVOURITES = 10_000;

/**
 * `n` stored favourites `big-00000` … (not in the feed), the last added
 * newest, as the app stores them: the value of the favourites key.
 */
function manyFavourites(n, prefix = 'big') {
  const items = [];
  for (let i = n - 1; i >= 0; i--) {
    items.push({
      id: `${prefix}-${String(i).padStart(5, '0')}`,
      title: `收藏 ${prefix} ${i}`,
      date: '2023-07-14T09:00:00+08:00',
      column: 'fdzdgknr',
      column_name: '法定主动公开内容',
      added_at: 1_700_000_000_000 + i,
    });
  }
  return { v: 1, items };
}

/** Stores `value` under the favourites key before the first page loads (once per tab). */
async function seedFavourites(session, value) {
  await session.page.addInitScript(
    ([key, value]) => {
      if (!sessionStorage.getItem('seeded-favourites')) {
        localStorage.setItem(key, value);
        sessionStorage.setItem('seeded-favourites', '1');
      }
    },
    [KEY, JSON.stringify(value)],
  );
}

/** The id of an article file request (`/bundle/<variant>/items/<id>.json`), or null. */
function itemId(url) {
  const m = /\/bundle\/[^/]+\/items\/([^/?]+)\.json/.exec(url);
  return m ? decodeURIComponent(m[1]) : null;
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
      storedFavourite(original, 1),
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

// Issue 15, fault 7: with 20,000 favourites every visit to 我的收藏 took 45 s:
// it rendered every row and asked the server about every one at once.
test('我的收藏 with 2,000 stored: 20 a page with the pager and ?page=, availability of the page shown only, 4 at a time, aborted when the reader turns the page', async (t) => {
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(404)] }, async (session) => {
    const stored = manyFavourites(2_000);
    await seedFavourites(session, stored);
    const titlesOf = (from, to) => stored.items.slice(from, to).map((f) => f.title);
    const idsOf = (from, to) => stored.items.slice(from, to).map((f) => f.id);

    // Every availability request, and how many the page has waiting at once.
    // Page 1's are held unanswered: the app must give them up when the
    // reader turns the page.
    const requested = [];
    const held = [];
    const aborted = new Set();
    let inFlight = 0;
    let most = 0;
    let hold = true;
    session.page.on('requestfailed', (request) => {
      const id = itemId(request.url());
      if (held.some((h) => h.id === id)) aborted.add(id);
    });
    await session.context.route(
      (url) => itemId(url.href) !== null,
      routeHandler(async (route) => {
        const id = itemId(route.request().url());
        requested.push(id);
        if (hold) {
          held.push({ id });
          await new Promise((release) => (held.at(-1).release = release));
          await route.abort().catch(() => {});
          return;
        }
        inFlight += 1;
        most = Math.max(most, inFlight);
        const response = await route.fetch();
        // Counted out before the page has the answer: a check it starts
        // in its place is never counted alongside it.
        inFlight -= 1;
        await route.fulfill({ response });
      }),
    );

    const page = new FavouritesPage(session);
    await page.openList();
    await page.expectTitles(titlesOf(0, 20), 'page 1: the 20 newest-added');
    assert.match(normalize(await page.main().locator('.gk-favs__count').innerText()), /共 2000 条/);
    const pager = page.main().getByRole('navigation', { name: '分页' });
    assert.match(normalize(await pager.innerText()), /第 1 页,共 100 页/, 'the lists\' pager, 100 pages');

    // Four checks start; the others wait for one of them to finish, which
    // never happens here.
    await eventually(() => assert.equal(held.length, 4, `4 checks waiting, saw ${held.length}`));
    assert.ok(requested.every((id) => idsOf(0, 20).includes(id)), `only page 1 is checked: ${requested}`);

    hold = false;
    await pager.getByRole('link', { name: '下一页' }).click();
    await page.expectPath('/favourites?page=2');
    await page.expectTitles(titlesOf(20, 40), 'page 2: favourites 21 to 40');
    await eventually(() =>
      assert.deepEqual([...aborted].sort(), held.map((h) => h.id).sort(), 'page 1\'s checks in flight are aborted'),
    );
    const rows = page.main().locator('.gk-favs__item');
    await eventually(async () => {
      const marked = (await rows.allInnerTexts()).filter((text) => text.includes('已下线')).length;
      assert.equal(marked, 20, `every row of page 2 is checked and marked 已下线 (not in the feed): ${marked}`);
    });
    assert.deepEqual(
      requested.slice(4).sort(),
      idsOf(20, 40).sort(),
      'after turning the page, only page 2 is checked, each once',
    );
    assert.ok(most <= 4, `at most 4 availability requests at once, saw ${most}`);

    // The page is in the URL: a reload stays on it.
    await session.page.reload();
    await page.expectHeading1('我的收藏');
    await page.expectTitles(titlesOf(20, 40), 'page 2 after a reload');
    for (const h of held) h.release();
  });
});

test('导入 of 20,000 favourites: the newest 10,000 are taken, the message says why the others are not, only the page shown is checked', async (t) => {
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(404)] }, async (session) => {
    const file = manyFavourites(20_000, 'imp');
    const checked = [];
    session.page.on('request', (r) => itemId(r.url()) && checked.push(itemId(r.url())));
    const page = new FavouritesPage(session);
    await page.openList();
    const [chooser] = await Promise.all([session.page.waitForEvent('filechooser'), page.button('导入').click()]);
    await chooser.setFiles({
      name: 'gongkai-favourites-big.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await eventually(async () =>
      assert.equal(
        normalize(await page.message().innerText()),
        '导入完成:新增 10000 条,已有 0 条。 我的收藏最多保存 10000 条:文件中另有 10000 条新收藏' +
          '因已达上限没有导入(已导入其中最新收藏的 10000 条)。',
      ),
    );
    await page.expectTitles(file.items.slice(0, 20).map((f) => f.title), 'the newest-added first, 20 a page');
    assert.match(normalize(await page.main().locator('.gk-favs__count').innerText()), /共 10000 条/);
    const stored = JSON.parse(await page.stored());
    assert.equal(stored.items.length, MAX_FAVOURITES, 'the 10,000 are saved');
    assert.deepEqual(stored.items.at(-1).id, file.items[MAX_FAVOURITES - 1].id, 'the newest 10,000');
    const rows = page.main().locator('.gk-favs__item');
    await eventually(async () => {
      const marked = (await rows.allInnerTexts()).filter((text) => text.includes('已下线')).length;
      assert.equal(marked, 20, `the 20 rows shown are checked: ${marked} marked`);
    });
    assert.deepEqual(checked.sort(), file.items.slice(0, 20).map((f) => f.id).sort(), 'only the 20 shown are checked');
    assert.match(
      normalize(await page.main().locator('.gk-favs__hint').innerText()),
      /收藏最多保存 10000 条/,
      'the page says the limit',
    );
  });
});

test('a full 我的收藏 (10,000) adds no more and says so', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await seedFavourites(session, manyFavourites(MAX_FAVOURITES));
    const page = new FavouritesPage(session);
    await page.goto(`/article/${original.id}`);
    await page.expectHeading1(ORIGINAL.title);
    await page.articleToggle().click();
    const notice = session.page.getByRole('status').filter({ hasText: '收藏已满' });
    await eventually(async () =>
      assert.ok(
        normalize(await notice.innerText()).startsWith('收藏已满(最多 10000 条),没有加入。'),
        `the notice names the limit: ${await notice.innerText()}`,
      ),
    );
    await page.expectPressed('false', 'when the list is full');
    const stored = JSON.parse(await page.stored());
    assert.equal(stored.items.length, MAX_FAVOURITES);
    assert.ok(!stored.items.some((f) => f.id === original.id), 'not added');
  });
});

test('导入 into a full storage: the message says nothing was saved, the stored list stays as it was, and 导出 has everything', async (t) => {
  const one = { v: 1, items: [storedFavourite(original, 1)] };
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(404)] }, async (session) => {
    await seedFavourites(session, one);
    const page = new FavouritesPage(session);
    await page.openList();
    await page.expectTitles([ORIGINAL.title]);
    const before = await page.stored();
    // The browser's real quota: filled until even one more character fails.
    const filled = await session.page.evaluate(() => {
      let size = 1 << 20;
      let n = 0;
      while (size >= 1) {
        try {
          localStorage.setItem(`gk-test-fill-${n}`, 'x'.repeat(size));
          n += 1;
        } catch {
          size = Math.floor(size / 4);
        }
      }
      return n;
    });
    assert.ok(filled > 0, 'localStorage was filled');

    const file = manyFavourites(30, 'q');
    const [chooser] = await Promise.all([session.page.waitForEvent('filechooser'), page.button('导入').click()]);
    await chooser.setFiles({ name: 'f.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await eventually(async () =>
      assert.equal(
        normalize(await page.message().innerText()),
        '导入完成:新增 30 条,已有 0 条。 但导入的收藏未能保存到浏览器(存储空间已满):关闭页面后会丢失,请先导出。',
      ),
    );
    await session.page.locator('.gk-notice').filter({ hasText: '收藏未能保存:浏览器存储空间已满' }).waitFor();
    assert.equal(await page.stored(), before, 'the stored list is kept as it was, not half written');
    assert.match(normalize(await page.main().locator('.gk-favs__count').innerText()), /共 31 条/);

    const [download] = await Promise.all([session.page.waitForEvent('download'), page.button('导出').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.items.length, 31, '导出 has the imported favourites and the old one');
  });
});
