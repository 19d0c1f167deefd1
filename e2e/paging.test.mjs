// Journey: a reader pages through the list and opens a column.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListPage } from './pages.mjs';
import { SITE, assertListPage, columnOf, columns, feed, launchBrowser, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('paging: 下一页 shows notices 21–40 with ?page=2, 上一页 goes back, reload keeps page 2', async (t) => {
  assert.ok(feed.items.length > 20, `the sample feed needs more than 20 items to page, it has ${feed.items.length}`);
  await withPage(browser, t, {}, async (session) => {
    const list = new ListPage(session);
    await list.goto('/');
    await list.waitForList();
    assert.ok(await list.pagination().isVisible(), 'expected a navigation named "分页"');

    await list.nextPage().click();
    await list.expectPath(/[?&]page=2(&|$)/);
    await list.expectTitles((titles) => assertListPage(titles, feed.items, 2, 'page 2 after 下一页'));
    assert.equal(
      await list.pageLink(2).getAttribute('aria-current'),
      'page',
      'expected the link "第 2 页" to have aria-current="page" on page 2',
    );
    const firstPage = list.pageLink(1);
    assert.notEqual(await firstPage.getAttribute('aria-current'), 'page', 'expected "第 1 页" not to be current on page 2');
    await session.checkPage('list page 2');

    await list.previousPage().click();
    await list.expectPath((path) => !/[?&]page=2(&|$)/.test(path));
    await list.expectTitles((titles) => assertListPage(titles, feed.items, 1, 'page 1 after 上一页'));

    await list.goto('/?page=2');
    await list.waitForList();
    await session.page.reload();
    await list.expectTitles((titles) => assertListPage(titles, feed.items, 2, 'page 2 after reload'));
    assert.equal(await list.pageLink(2).getAttribute('aria-current'), 'page', 'expected "第 2 页" current after reload');
  });
});

test('column: a 栏目 link opens /column/<id> with its own list, heading and breadcrumb', async (t) => {
  // The column with the most notices, so its list is not trivially short.
  const counts = columns.map((c) => ({ ...c, items: feed.items.filter((i) => columnOf(i).id === c.id) }));
  const column = counts.sort((a, b) => b.items.length - a.items.length)[0];
  assert.ok(column && column.items.length > 0, 'the sample feed needs a column with notices');

  await withPage(browser, t, {}, async (session) => {
    const list = new ListPage(session);
    await list.goto('/');
    await list.waitForList();

    await list.columnLink(column.name).click();
    await list.expectPath(`/column/${column.id}`);
    await list.expectHeading1(column.name);
    await list.expectTitles((titles) => assertListPage(titles, column.items, 1, `column ${column.name}`));
    await list.expectBreadcrumb(['首页', SITE.section, column.name]);
    await session.checkPage(`column ${column.id}`);
  });
});
