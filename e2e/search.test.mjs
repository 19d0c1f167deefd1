// Journey: a citizen searches the site (issue 3): every option combination,
// a traditional-form query, a query with no result, URL round trips, and the
// terms highlighted in the article they open.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorPanel, SitePage } from './pages.mjs';
import { RESOURCE_ERROR, appPath, eventually, feed, htmlToText, launchBrowser, normalize, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const QUERY = '科技特派员';
// Whitespace is ignored between Chinese characters, as the engine does.
const squash = (s) => s.replace(/\s+/g, '');
/** The truth, by brute force over the feed: exact matches in a scope. */
function exactMatches(q, scope) {
  return feed.items.filter((item) => {
    const title = squash(item.title);
    if (scope === 'title') return title.includes(q);
    const full = squash(`${item.title}${item.summary ?? ''}${htmlToText(item.content_html ?? item.content_text ?? '')}`);
    return full.includes(q);
  });
}

class SearchPage extends SitePage {
  box() {
    return this.page.getByRole('searchbox', { name: '搜索', exact: true });
  }
  select(label) {
    return this.page.getByRole('combobox', { name: label, exact: true });
  }
  async count() {
    const text = normalize(await this.page.locator('.gk-results__count').innerText());
    const m = text.match(/共找到 (\d+) 条结果/);
    assert.ok(m, `expected "共找到 N 条结果", saw "${text}"`);
    return Number(m[1]);
  }
  resultTitles() {
    return this.page.locator('.gk-results__link');
  }
  /** Waits until every row's snippet is filled in: a snippet is fetched
   * when its row comes near the screen (issue 16), so the rows still
   * pending are scrolled to, one after another. */
  async snippetsLoaded() {
    const pending = this.page.locator('.gk-results__pending');
    await eventually(async () => {
      if ((await pending.count()) > 0) await pending.first().scrollIntoViewIfNeeded({ timeout: 1000 }).catch(() => {});
      assert.equal(await pending.count(), 0, 'snippets still pending');
    });
  }
}

const combos = [];
for (const scope of ['title', 'full'])
  for (const match of ['exact', 'fuzzy'])
    for (const sort of ['relevance', 'date']) combos.push({ scope, match, sort });

const labels = {
  scope: { title: '标题', full: '全文' },
  match: { exact: '精确', fuzzy: '模糊' },
  sort: { relevance: '相关度', date: '时间' },
};

test('search: every combination of 搜索位置 × 匹配度 × 排序 from the form, checked against the feed', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.goto('/');
    await page.expectHeading1('政府信息公开');
    for (const { scope, match, sort } of combos) {
      await page.select('搜索位置').selectOption({ label: labels.scope[scope] });
      await page.select('匹配度').selectOption({ label: labels.match[match] });
      await page.select('排序').selectOption({ label: labels.sort[sort] });
      await page.box().fill(QUERY);
      await page.box().press('Enter');
      await page.expectPath((p) => {
        const u = new URL(p, 'http://x');
        return u.pathname === '/search' && u.searchParams.get('q') === QUERY &&
          u.searchParams.get('scope') === scope && u.searchParams.get('match') === match &&
          u.searchParams.get('sort') === sort;
      });
      const truth = exactMatches(QUERY, scope);
      await eventually(async () => {
        const n = await page.count();
        if (match === 'exact') {
          assert.equal(n, truth.length, `${scope}/${match}/${sort}: exact results must equal the notices containing ${QUERY}`);
        } else {
          assert.ok(n >= truth.length, `${scope}/${match}/${sort}: fuzzy finds at least the exact matches (${n} < ${truth.length})`);
        }
      });
      const shown = Math.min(truth.length, 20);
      if (match === 'exact' && shown > 0) {
        await page.snippetsLoaded();
        // Every shown title (title scope) or row carries the marked query.
        const marks = (await session.page.locator('.gk-results__item mark').allInnerTexts()).map(squash);
        assert.ok(marks.length >= shown, `${scope}/${match}/${sort}: expected marks in each of ${shown} rows, saw ${marks.length}`);
        assert.ok(marks.every((m) => m === QUERY), `marks are the query: ${JSON.stringify(marks.slice(0, 5))}`);
      }
      if (sort === 'date') {
        const dates = await session.page.locator('.gk-results__date').allInnerTexts();
        const sorted = [...dates].sort().reverse();
        assert.deepEqual(dates, sorted, `${scope}/${match}/date: newest first`);
      }
    }
    await session.checkPage('search results');
  });
});

test('search: focusing the box warms the search code up in idle time, once, without a request', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    // Count the idle callbacks the page runs.
    await session.page.addInitScript(() => {
      window.__gkIdle = 0;
      const real = window.requestIdleCallback.bind(window);
      window.requestIdleCallback = (cb, options) => real((deadline) => {
        window.__gkIdle += 1;
        cb(deadline);
      }, options);
    });
    const page = new SearchPage(session);
    await page.goto('/');
    const searchFiles = [];
    session.page.on('request', (r) => {
      if (r.url().includes('/bundle/search/')) searchFiles.push(r.url());
    });
    const idle = () => session.page.evaluate(() => window.__gkIdle);
    // One more idle callback of our own: it runs after any queued before it.
    const settle = () => session.page.evaluate(() => new Promise((done) => requestIdleCallback(() => done())));
    await settle();
    const before = await idle();
    await page.box().focus();
    // 600 runs in slices of 40 (src/search.rs): 15 idle callbacks.
    await eventually(async () => assert.equal(await idle() - before, 15, 'the warm-up ran in 15 idle slices'));
    await session.page.getByRole('heading', { level: 1 }).click();
    await page.box().focus();
    await settle();
    await settle();
    assert.equal(await idle() - before, 17, 'a second focus starts no second warm-up (2 callbacks are ours)');
    assert.deepEqual(searchFiles, [], 'the warm-up fetches nothing');
  });
});

test('search: the list shows before the snippets, which then fill in with the query marked', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    // Hold every article file until the list is on screen.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await session.page.route(/\/bundle\/zh-Han[st]\/items\//, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto('/search?q=' + encodeURIComponent(QUERY) + '&scope=full&match=exact&sort=relevance');
    const truth = exactMatches(QUERY, 'full');
    await eventually(async () => assert.equal(await page.count(), truth.length));
    const shown = Math.min(truth.length, 20);
    // The rows come a few per task (rows_in_tasks).
    await eventually(async () => assert.equal(await page.resultTitles().count(), shown, 'titles are shown without the article files'));
    assert.equal(await session.page.locator('.gk-results__pending').count(), shown, 'every snippet is pending');
    release();
    await page.snippetsLoaded();
    const snippets = await session.page.locator('.gk-results__snippet').all();
    assert.equal(snippets.length, shown);
    let marked = 0;
    for (const snippet of snippets) {
      assert.ok((await snippet.innerText()).trim().length > 0, 'every snippet has text');
      // The query may be only in the title or summary: then no mark here.
      const marks = (await snippet.locator('mark').allInnerTexts()).map(squash);
      assert.ok(marks.every((m) => m === QUERY), `snippet marks only the query: ${JSON.stringify(marks)}`);
      if (marks.length > 0) marked += 1;
    }
    assert.ok(marked > 0, 'snippets mark the query');
  });
});

test('search: a first load fetches the snippets of the rows on or near the screen only, the rest when scrolled to (issue 16)', async (t) => {
  // On a phone twenty article files for the snippets were fetched on every
  // first load of /search, most of them for rows far below the screen,
  // each a request on the page's critical chain.
  await withPage(browser, t, { viewport: { width: 390, height: 844 } }, async (session) => {
    const page = new SearchPage(session);
    const articles = [];
    session.page.on('request', (request) => {
      if (/\/bundle\/zh-Han[st]\/items\//.test(request.url())) articles.push(request.url());
    });
    const q = '科技';
    await page.goto('/search?q=' + encodeURIComponent(q));
    const shown = Math.min(exactMatches(q, 'full').length, 20);
    assert.ok(shown === 20, `the query fills a page of results (${shown})`);
    const rows = session.page.locator('.gk-results__item');
    await eventually(async () => assert.equal(await rows.count(), shown));
    await session.page.locator('.gk-results__list:not([aria-busy])').waitFor();
    // The first row's snippet, then a quiet network: every fetch the first
    // screen starts has been made.
    await rows.first().locator('.gk-results__snippet:not(:has(.gk-results__pending))').waitFor();
    await session.page.waitForLoadState('networkidle');
    const first = articles.length;
    const onScreen = await rows.evaluateAll((items) => items.filter((li) => li.getBoundingClientRect().top < innerHeight).length);
    assert.ok(first >= onScreen, `the ${onScreen} rows on screen get their snippets (${first} fetched)`);
    assert.ok(first < shown / 2, `a first load fetched ${first} article files for ${shown} rows`);
    await eventually(async () => assert.equal(await session.page.locator('.gk-results__item .gk-results__pending').count(),
      shown - first, 'the rows not fetched yet wait for their snippet'));
    // Nothing is lost meanwhile: every row has its title and link.
    for (const row of await rows.all()) {
      const link = row.locator('a.gk-results__link');
      assert.ok((await link.innerText()).trim().length > 0, 'a row has its title');
      assert.match(await link.getAttribute('href'), /\/article\//);
    }
    // Scrolled to, the other rows get theirs.
    await page.snippetsLoaded();
    assert.equal(new Set(articles).size, shown, 'each row\'s article file, once');
  });
});

test('search: a traditional-form query finds the simplified text; the box keeps what was typed', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.goto('/search?q=' + encodeURIComponent('科技特派員') + '&scope=full&match=exact&sort=relevance');
    const truth = exactMatches(QUERY, 'full');
    await eventually(async () => assert.equal(await page.count(), truth.length, '科技特派員 finds what 科技特派员 finds'));
    assert.equal(await page.box().inputValue(), '科技特派員', 'the query is never converted in the box');
  });
});

test('search: no result says so and suggests 模糊 and 全文; invalid queries get a message', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.goto('/search?q=' + encodeURIComponent('量子引力波探测') + '&scope=title&match=exact&sort=relevance');
    await eventually(async () => assert.equal(await page.count(), 0));
    await session.page.getByText('没有找到与“量子引力波探测”相关的信息。').waitFor();
    await session.page.getByRole('link', { name: '改用“模糊”匹配再搜一次' }).waitFor();
    await session.page.getByRole('link', { name: '改为在“全文”中搜索' }).click();
    await page.expectPath((p) => new URL(p, 'http://x').searchParams.get('scope') === 'full');
    await session.checkPage('search no results');

    for (const [q, needle] of [['', '请输入'], ['，。！', ''], ['长'.repeat(101), '100']]) {
      await page.goto('/search?q=' + encodeURIComponent(q));
      await eventually(async () => {
        const text = normalize(await session.page.locator('.gk-results__count').innerText());
        assert.ok(text.length > 0 && !/共找到/.test(text), `a message, not results, for ${JSON.stringify(q.slice(0, 10))}: "${text}"`);
        if (needle) assert.ok(text.includes(needle), `message for ${JSON.stringify(q.slice(0, 10))} mentions ${needle}: "${text}"`);
      });
    }
  });
});

test('search: an index of another format or a corrupt shard gets 加载失败 naming the file; 重试 recovers', async (t) => {
  await withPage(browser, t, { allowConsole: [RESOURCE_ERROR(500)] }, async (session) => {
    const META = '**/bundle/search/index.json*';
    const SHARDS = '**/bundle/search/shard/**';
    let expected;
    // An index written by another builder version: refused by name, never
    // read as if it were this format (it would decode into wrong results).
    await session.page.route(META, async (route) => {
      const response = await route.fetch();
      const meta = await response.json();
      expected = meta.format;
      // no-store: the real file is immutable, and the browser would keep
      // serving this forged copy from its cache after the route is gone.
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'cache-control': 'no-store' },
        json: { ...meta, format: meta.format - 1 },
      });
    });
    const page = new SearchPage(session);
    await page.goto('/search?q=' + encodeURIComponent(QUERY) + '&scope=full&match=exact&sort=relevance');
    const error = new ErrorPanel(session);
    let text = await error.text();
    assert.ok(text.includes('search/index.json'), `expected the error to name search/index.json: "${text}"`);
    assert.ok(text.includes('不兼容') && text.includes(`${expected - 1}`) && text.includes(`${expected}`),
      `expected the error to give both format numbers (${expected - 1}, ${expected}): "${text}"`);
    await session.checkPage('search index of another format');
    await session.page.unroute(META);

    // A shard that is not a shard, then one that fails to load.
    await session.page.route(SHARDS, (route) =>
      route.fulfill({ status: 200, contentType: 'application/octet-stream', headers: { 'cache-control': 'no-store' }, body: 'not a shard' }));
    await error.retry().click();
    await eventually(async () => {
      text = await error.text();
      assert.ok(/search\/shard\/\d+\.bin/.test(text), `expected the error to name the shard file: "${text}"`);
    });
    await session.page.unroute(SHARDS);
    await session.page.route(SHARDS, (route) =>
      route.fulfill({ status: 500, contentType: 'text/plain', headers: { 'cache-control': 'no-store' }, body: 'server error' }));
    await error.retry().click();
    await eventually(async () => {
      text = await error.text();
      assert.ok(text.includes('HTTP 500') && /search\/shard\//.test(text), `expected HTTP 500 and the shard URL: "${text}"`);
    });
    await session.page.unroute(SHARDS);

    await error.retry().click();
    const truth = exactMatches(QUERY, 'full');
    await eventually(async () => assert.equal(await page.count(), truth.length, 'results after 重试'));
    assert.equal(await error.alert.count(), 0, 'expected the alert to go away after 重试 succeeded');
  });
});

test('search: URL round trips (reload, back, forward), typing updates results, paging', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.goto('/search?q=' + encodeURIComponent('科技') + '&scope=full&match=exact&sort=date');
    const total = exactMatches('科技', 'full').length;
    assert.ok(total > 20, 'the sample has more than one page of 科技');
    await eventually(async () => assert.equal(await page.count(), total));
    await session.page.getByRole('link', { name: '下一页', exact: true }).click();
    await page.expectPath((p) => new URL(p, 'http://x').searchParams.get('page') === '2');
    await session.page.reload();
    await eventually(async () => assert.equal(await page.count(), total));
    assert.equal(await page.box().inputValue(), '科技');
    assert.equal(await page.select('排序').inputValue(), 'date');
    await session.page.goBack();
    await page.expectPath((p) => !new URL(p, 'http://x').searchParams.get('page'));

    // Typing without Enter updates the results (debounced).
    await page.box().fill('');
    await page.box().pressSequentially('文明单位', { delay: 30 });
    await page.expectPath((p) => new URL(p, 'http://x').searchParams.get('q') === '文明单位');
    await eventually(async () => assert.equal(await page.count(), exactMatches('文明单位', 'full').length));
  });
});

test('search: opening a result marks the terms in the article; 繁體 results keep the query', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.goto('/search?q=' + encodeURIComponent(QUERY) + '&scope=full&match=exact&sort=relevance');
    await eventually(async () => assert.ok((await page.count()) > 0));
    const first = normalize(await page.resultTitles().first().innerText());
    await page.resultTitles().first().click();
    await page.expectHeading1(first);
    await eventually(async () => {
      const marks = (await session.page.locator('.gk-article__body mark').allInnerTexts()).map(squash);
      assert.ok(marks.length > 0 && marks.every((m) => m === QUERY), `terms marked in the article: ${JSON.stringify(marks.slice(0, 5))}`);
    });
    assert.ok(appPath(session.page.url()).includes('hl='), 'the article link carries the query');

    await session.page.goBack();
    await eventually(async () => assert.ok((await page.count()) > 0));
    await page.topBarButton('繁體').click();
    await page.expectHeading1('搜索結果');
    await eventually(async () => {
      const titles = await page.resultTitles().allInnerTexts();
      assert.ok(titles.some((tt) => tt.includes('科技特派員')), `results in 繁體: ${titles.slice(0, 3)}`);
    });
    assert.equal(await page.box().inputValue(), QUERY, 'the box keeps the simplified query as typed');
    await session.checkPage('search results in 繁體');
  });
});
