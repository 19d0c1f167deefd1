// Journeys without JavaScript (issue 9): a browser with JavaScript off reads
// the static pages `gongkai build --site` writes. Every notice is reachable
// by links alone, the article shows its metadata, body and 下载 links, the
// search box says why it cannot search, and nothing on the page is dead.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { ArticlePage, ListPage } from './pages.mjs';
import {
  AXE_TAGS,
  ORIGINAL,
  SITE,
  assertListPage,
  beijingDate,
  columnOf,
  columns,
  feed,
  formatViolations,
  htmlToText,
  itemTitled,
  launchBrowser,
  newestFirst,
  normalize,
  urlFor,
  withPage,
} from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const NO_JS = { javaScript: false };
const original = itemTitled(ORIGINAL.title);

/**
 * axe (WCAG 2.2 AA) on the page as a reader without JavaScript gets it.
 * axe itself is a script that needs timers, which a context with JavaScript
 * off never runs; so it checks the same URL in a context whose page scripts
 * are all refused instead: the same document and styles, nothing run.
 */
async function checkWithoutScripts(session, label) {
  await session.screenshot(label);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  try {
    await context.route(/\.(?:js|wasm)(?:\?|$)/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(session.page.url());
    assert.equal(
      await page.locator('[data-gongkai] > .gk-app:not([data-js])').count(),
      1,
      `${label}: the checked page is the static one, untouched by scripts`,
    );
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    if (results.violations.length > 0) {
      assert.fail(
        `axe found ${results.violations.length} accessibility violation(s) on ${label} without JavaScript ` +
          `(${page.url()}):\n${formatViolations(results.violations)}`,
      );
    }
  } finally {
    await context.close();
  }
}

/** Follows the link (by role and name) and waits for the new document. */
async function follow(session, link) {
  await Promise.all([session.page.waitForEvent('load'), link.click()]);
}

/** Reads the list titles now: without JavaScript nothing changes later. */
async function titlesOf(list) {
  return list.titles();
}

/** The article's metadata as the app's e2e reads it, checked against the feed. */
async function assertArticle(session, item) {
  const article = new ArticlePage(session);
  assert.equal(article.path(), `/article/${item.id}`);
  assert.deepEqual(
    (await article.heading1().allInnerTexts()).map(normalize),
    [item.title],
    'the static article page has the notice title as its only h1',
  );
  const meta = await article.metadata();
  const expected = {
    发布机构: item._gov.publisher,
    索引号: item._gov.index_no,
    时间: beijingDate(item.date_published),
    主题分类: columnOf(item).name,
  };
  if (item._gov.source) expected['来源'] = item._gov.source;
  if (item.authors?.length) expected['作者'] = item.authors.map((a) => a.name).join('、');
  for (const [label, value] of Object.entries(expected)) {
    assert.equal(meta[label], value, `metadata "${label}" on the static page; it reads ${JSON.stringify(meta)}`);
  }
  assert.equal(
    await session.page.title(),
    `${item.title}${SITE.titleSuffix}`,
    'the static page has the title the app sets',
  );
  return article;
}

test('no JavaScript: from the home page to the 21st newest notice by links only', async (t) => {
  const newest = newestFirst();
  assert.ok(newest.length >= 21, 'the sample feed needs at least 21 notices');
  const target = newest[20];
  await withPage(browser, t, NO_JS, async (session) => {
    const list = new ListPage(session);
    await list.goto('/');
    assert.equal(await session.page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assertListPage(await titlesOf(list), feed.items, 1, 'static home page');
    await checkWithoutScripts(session, 'no-js home');

    await follow(session, list.nextPage());
    assert.equal(list.path(), '/?page=2');
    const titles = await titlesOf(list);
    assertListPage(titles, feed.items, 2, 'static list page 2');
    assert.equal(titles[0], target.title, 'the first notice of page 2 is the 21st newest');
    await checkWithoutScripts(session, 'no-js list page 2');

    await follow(session, list.noticeLink(target.title));
    await assertArticle(session, target);
    await checkWithoutScripts(session, 'no-js 21st notice');
  });
});

test('no JavaScript: the original notice through its column, with metadata, body, 下载 and neighbours', async (t) => {
  const column = columnOf(original);
  const inColumn = newestFirst(feed.items.filter((i) => columnOf(i).id === column.id));
  const position = inColumn.findIndex((i) => i.id === original.id);
  await withPage(browser, t, NO_JS, async (session) => {
    const list = new ListPage(session);
    await list.goto('/');
    await follow(session, list.columnLink(column.name));
    assert.equal(list.path(), `/column/${column.id}`);
    for (let p = 2; p <= Math.floor(position / 20) + 1; p++) {
      await follow(session, list.nextPage());
    }
    await follow(session, list.noticeLink(ORIGINAL.title));
    const article = await assertArticle(session, original);
    assert.equal((await article.metadata())['索引号'], ORIGINAL.indexNo);
    const text = await article.mainText();
    const body = htmlToText(original.content_html).slice(0, 20);
    assert.ok(text.includes(body), `the static article shows its body; expected "${body}" in the main text`);

    // 下载Word / 下载PDF are plain links to files the server has.
    for (const name of ['下载Word', '下载PDF']) {
      const link = session.page.getByRole('main').getByRole('link', { name, exact: true });
      assert.equal(await link.count(), 1, `the static article has one ${name} link`);
      const href = await link.getAttribute('href');
      const response = await session.page.request.get(new URL(href, session.page.url()).href);
      assert.equal(response.status(), 200, `${name} (${href}) answers 200`);
    }
    await checkWithoutScripts(session, 'no-js original notice');

    // 上一篇 / 下一篇 are links too.
    const neighbours = article.neighbours().getByRole('link');
    assert.ok((await neighbours.count()) >= 1, 'the original notice links to a neighbour');
    const newer = inColumn[position - 1];
    if (newer) {
      await follow(session, article.neighbours().getByRole('link', { name: `上一篇:${newer.title}` }));
      await assertArticle(session, newer);
    }
  });
});

test('no JavaScript: the search box explains itself and links to the column lists; no dead buttons', async (t) => {
  await withPage(browser, t, NO_JS, async (session) => {
    const page = session.page;
    await page.goto(urlFor('/'));
    const search = page.getByRole('search');
    await assert.doesNotReject(
      search.getByText('本站的搜索和阅读设置需要启用 JavaScript 才能使用。', { exact: false }).waitFor({ state: 'visible' }),
    );
    assert.equal(await search.getByRole('searchbox').isVisible(), false, 'the search box that cannot search is hidden');
    for (const c of columns) {
      const link = search.getByRole('link', { name: c.name, exact: true });
      assert.equal(await link.getAttribute('href'), `/column/${c.id}`, `the note links to ${c.name}`);
    }
    const buttons = page.getByRole('button');
    assert.equal(
      await buttons.count(),
      0,
      `no button is shown without JavaScript (each would be dead); visible: ${await buttons.allInnerTexts()}`,
    );
    await follow(session, search.getByRole('link', { name: columns[0].name, exact: true }));
    assert.equal(new URL(page.url()).pathname, `/column/${columns[0].id}`);
  });
});

test('no JavaScript: the 繁體 pages are static too, in 繁體, with their own language', async (t) => {
  await withPage(browser, t, NO_JS, async (session) => {
    const page = session.page;
    await page.goto(urlFor(`/article/${original.id}?lang=zh-Hant`));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
    const meta = await new ArticlePage(session).metadata();
    assert.equal(meta['索引號'], ORIGINAL.indexNo, `繁體 labels; metadata reads ${JSON.stringify(meta)}`);
    const crumbs = await page.getByRole('navigation', { name: '當前位置' }).innerText();
    assert.match(crumbs, /首頁/, '繁體 breadcrumb');
    await checkWithoutScripts(session, 'no-js 繁體 original notice');
  });
});

test('static pages: title, language, canonical, description, portal meta tags and the feed link', async (t) => {
  await withPage(browser, t, NO_JS, async (session) => {
    const page = session.page;
    await page.goto(urlFor(`/article/${original.id}`));
    const head = await page.evaluate(() => {
      const meta = {};
      for (const m of document.querySelectorAll('meta[name]')) meta[m.name] = m.content;
      const link = (rel) => document.querySelector(`link[rel="${rel}"]`);
      const feeds = {};
      for (const l of document.querySelectorAll('link[rel="alternate"]')) feeds[l.type] = l.href;
      return { meta, canonical: link('canonical')?.href, feeds };
    });
    const site = (feed.home_page_url ?? '').replace(/\/$/, '');
    assert.equal(head.canonical, `${site}/article/${original.id}`);
    assert.ok(head.meta.description?.length > 10, `a description: ${head.meta.description}`);
    assert.equal(head.meta.SiteName, SITE.name);
    assert.equal(head.meta.ColumnName, columnOf(original).name);
    assert.equal(head.meta.ArticleTitle, original.title);
    assert.match(head.meta.PubDate, new RegExp(`^${beijingDate(original.date_published)} \\d\\d:\\d\\d$`));
    assert.equal(head.meta.ContentSource, original._gov.source ?? original._gov.publisher);
    // The column's subscription feeds (issue 19), not the bundle's data.
    const column = columnOf(original).id;
    assert.match(head.feeds['application/atom+xml'] ?? '', new RegExp(`/bundle/feeds/zh-Hans/${column}\\.atom$`));
    assert.match(head.feeds['application/feed+json'] ?? '', new RegExp(`/bundle/feeds/zh-Hans/${column}\\.json$`));
    const response = await page.request.get(head.feeds['application/feed+json']);
    assert.equal(response.status(), 200, `the feed link ${head.feeds['application/feed+json']} answers`);
    const linked = await response.json();
    assert.equal(linked.version, 'https://jsonfeed.org/version/1.1', 'the alternate link is a JSON Feed');
    assert.ok(
      linked.items.some((i) => i.url === `${site}/article/${original.id}`),
      'the linked feed lists the notice at its page on this site',
    );
  });
});

test('sitemap.xml lists every page at its absolute URL; robots.txt points to it', async (t) => {
  await withPage(browser, t, NO_JS, async (session) => {
    const request = session.page.request;
    const sitemap = await request.get(urlFor('/sitemap.xml'));
    assert.equal(sitemap.status(), 200);
    const xml = await sitemap.text();
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const site = (feed.home_page_url ?? '').replace(/\/$/, '');
    for (const item of feed.items) {
      assert.ok(locs.includes(`${site}/article/${item.id}`), `the sitemap lists ${item.id}`);
      assert.ok(locs.includes(`${site}/article/${item.id}?lang=zh-Hant`), `the sitemap lists ${item.id} in 繁體`);
    }
    assert.ok(locs.includes(`${site}/?page=2`), 'the sitemap lists list page 2');
    assert.equal(new Set(locs).size, locs.length, 'no URL twice');
    const robots = await (await request.get(urlFor('/robots.txt'))).text();
    assert.match(robots, new RegExp(`^Sitemap: ${site}/sitemap.xml$`, 'm'));
    assert.match(robots, /^Disallow: \/search$/m);
  });
});

test('nginx: routes without a static page still get the app; the static files have no second URL', async (t) => {
  await withPage(browser, t, NO_JS, async (session) => {
    const request = session.page.request;
    const search = await request.get(urlFor('/search?q=科技'));
    assert.equal(search.status(), 200);
    assert.doesNotMatch(await search.text(), /class="gk-app"/, '/search is the app shell, not a static page');
    const missing = await request.get(urlFor('/article/no-such-notice'));
    assert.doesNotMatch(await missing.text(), /class="gk-app"/, 'an unknown article gets the shell (the app says 404)');
    const beyond = await request.get(urlFor('/?page=999'));
    assert.doesNotMatch(await beyond.text(), /class="gk-app"/, 'a page past the end gets the shell');
    const direct = await request.get(urlFor('/static/index.html'));
    assert.equal(direct.status(), 404, 'static/ is not served at its own URL');
    const home = await request.get(urlFor('/'));
    assert.equal(home.headers()['cache-control'], 'no-cache', 'static pages are revalidated, like index.html');
  });
});
