// 政策文件库 (issue 19): the whole section with facets for 有效性, 主题分类,
// 文种, 发文机关 and 成文年份, every count checked against the count this
// test computes from content/feed.json itself; the state in the URL and
// Back; keyboard use; the 文号 box in every common form; the static pages
// without JavaScript (one per facet value, paginated, served by nginx);
// relations shown both ways on articles; 有效性 in words in lists.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ListPage, SitePage } from './pages.mjs';
import {
  appPath,
  beijingDate,
  eventually,
  feed,
  launchBrowser,
  newestFirst,
  normalize,
  seedSettings,
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

// ---------------------------------------------------------------------------
// The facets, computed from the feed.

/** Facets in the order the library shows them, with their legends and URL names. */
const FACETS = [
  { key: 'validity', legend: '有效性' },
  { key: 'topic', legend: '主题分类' },
  { key: 'type', legend: '文种' },
  { key: 'issuer', legend: '发文机关' },
  { key: 'year', legend: '成文年份' },
];

/** The values an item has in a facet, read from the feed. */
function valuesOf(item, facet) {
  const g = item._gov;
  switch (facet) {
    case 'validity':
      return g.validity ? [g.validity] : [];
    case 'topic':
      return [...new Set(g.topics ?? [])];
    case 'type':
      return g.doc_type ? [g.doc_type] : [];
    case 'issuer':
      return g.issuer ? [...new Set([].concat(g.issuer))] : [g.publisher];
    case 'year':
      return [(g.written_date ?? beijingDate(item.date_published)).slice(0, 4)];
    default:
      throw new Error(`no facet ${facet}`);
  }
}

/** Whether an item passes every chosen facet but `skip`. */
function passes(item, chosen, skip) {
  return FACETS.every(({ key }) => {
    const c = chosen[key] ?? [];
    return key === skip || c.length === 0 || valuesOf(item, key).some((v) => c.includes(v));
  });
}

/** facet → { value → count } for a choice: what each box would list if ticked too. */
function expectedCounts(chosen) {
  const out = {};
  for (const { key } of FACETS) {
    out[key] = {};
    for (const item of feed.items) {
      if (!passes(item, chosen, key)) continue;
      for (const v of valuesOf(item, key)) out[key][v] = (out[key][v] ?? 0) + 1;
    }
  }
  return out;
}

/** The items a choice lists, newest first. */
function expectedItems(chosen) {
  return newestFirst(feed.items.filter((i) => passes(i, chosen)));
}

const item = (id) => {
  const found = feed.items.find((i) => i.id === id);
  assert.ok(found, `content/feed.json has no item ${id}`);
  return found;
};
/** The sample's policy documents (content/feed.json, issue 19). */
const BANFA = item('kjj1-2023-00012'); // 武山县科技计划项目管理办法, repeals the 试行 one
const JIEDU = item('kjj1-2023-00013'); // its 政策解读
const OLD = item('kjj1-2019-00009'); // the repealed 试行 办法
const GUIDE = item('kjj1-2024-00009'); // the 2024 guide, amends the 2019 one
const OLD_GUIDE = item('kjj1-2019-00004');

// ---------------------------------------------------------------------------
// The page.

class Library extends ListPage {
  group(legend) {
    return this.main().getByRole('group', { name: legend, exact: true });
  }

  /** What a facet group shows: value → count, in order. */
  async shown(legend) {
    const texts = await this.group(legend).getByRole('listitem').allInnerTexts();
    const out = {};
    for (const t of texts) {
      const m = normalize(t).match(/^(.+) \((\d+)\)$/);
      assert.ok(m, `a facet option reads "value (count)": "${t}"`);
      out[m[1]] = Number(m[2]);
    }
    return out;
  }

  box(legend, value) {
    return this.group(legend).getByRole('checkbox', { name: new RegExp(`^${escape(value)} \\(\\d+\\)$`) });
  }

  async count() {
    return normalize(await this.main().locator('.gk-library__count').innerText());
  }

  /** Waits until the library shows the state whose URL is `path`. */
  async expectState(path) {
    await this.expectPath(path);
    await eventually(async () => {
      const state = await this.main().locator('.gk-library').getAttribute('data-state');
      const want = decodeURIComponent(path.split(/[?&]page=/)[0].replace('?', '&'));
      assert.equal(decodeURIComponent(state ?? ''), want, 'the library shows the state of the URL');
    });
  }
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Asserts that every facet shows exactly the computed counts (zero counts hidden). */
async function expectCounts(lib, chosen, why) {
  const want = expectedCounts(chosen);
  for (const { key, legend } of FACETS) {
    await eventually(async () => {
      const shown = await lib.shown(legend);
      const expected = Object.fromEntries(
        Object.entries(want[key]).filter(([v, n]) => n > 0 || (chosen[key] ?? []).includes(v)),
      );
      assert.deepEqual(
        Object.fromEntries(Object.entries(shown).sort()),
        Object.fromEntries(Object.entries(expected).sort()),
        `${why}: the ${legend} counts`,
      );
    });
  }
  const total = expectedItems(chosen).length;
  await eventually(async () => assert.equal(await lib.count(), `共 ${total} 件`, `${why}: the total`));
  const titles = expectedItems(chosen)
    .slice(0, 20)
    .map((i) => i.title);
  await lib.expectTitles((shown) => assert.deepEqual(shown, titles, `${why}: the first page of notices`));
}

// ---------------------------------------------------------------------------

test('the first view: every facet lists its values with the counts computed from the feed', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const lib = new Library(session);
    await lib.goto('/library');
    await lib.expectHeading1('政策文件库');
    await expectCounts(lib, {}, 'everything');
    // Every 文种, 主题分类 and 发文机关 of the feed is there, a joint one counted for both.
    const issuers = await lib.shown('发文机关');
    assert.ok(issuers['武山县农业农村局'] >= 1, `the joint notice's second 发文机关: ${JSON.stringify(issuers)}`);
    await session.checkPage('library, default');
  });
});

test('choosing values narrows the list: counts stay exact, the URL holds the state, Back restores it', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const lib = new Library(session);
    await lib.goto('/library');
    await lib.box('有效性', '有效').check();
    await lib.expectState(`/library/validity/${encodeURIComponent('有效')}`);
    await expectCounts(lib, { validity: ['有效'] }, '有效');

    await lib.box('文种', '办法').check();
    const both = `/library?validity=${encodeURIComponent('有效')}&type=${encodeURIComponent('办法')}`;
    await lib.expectState(both);
    await expectCounts(lib, { validity: ['有效'], type: ['办法'] }, '有效 and 办法');
    await lib.box('有效性', '已废止').check();
    await expectCounts(lib, { validity: ['有效', '已废止'], type: ['办法'] }, '有效 or 已废止, and 办法');
    assert.deepEqual(await lib.titles(), [BANFA.title, OLD.title]);
    await session.checkPage('library, narrowed');

    await session.page.goBack();
    await lib.expectState(both);
    await expectCounts(lib, { validity: ['有效'], type: ['办法'] }, 'Back to 有效 and 办法');
    assert.equal(await lib.box('有效性', '已废止').isChecked(), false, 'Back unticks the box');
    await session.page.goBack();
    await lib.expectState(`/library/validity/${encodeURIComponent('有效')}`);
    assert.equal(await lib.box('文种', '办法').isChecked(), false);

    // A shared link opens in the same state.
    await lib.goto(both);
    await expectCounts(lib, { validity: ['有效'], type: ['办法'] }, 'a shared link');
    assert.equal(await lib.box('文种', '办法').isChecked(), true);
  });
});

test('issue 19 bug: a tick between /library and /library/<facet>/<value> updates the page in place: one live region, no 加载中', async (t) => {
  // Two routes for the two forms of the URL mounted the page afresh at each
  // such tick: 加载中 in place of the list, every part rebuilt (the slow
  // clicks of bench/library), and a new live region, created with its
  // text, so 筛选结果 was not read out.
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    const lib = new Library(session);
    await lib.goto('/library');
    await expectCounts(lib, {}, 'everything');
    await page.evaluate(() => {
      window.gkRegion = document.querySelector('.gk-main p.gk-visually-hidden[role="status"]');
      window.gkLoading = 0;
      new MutationObserver(() => {
        if (document.querySelector('.gk-main .gk-loading')) window.gkLoading += 1;
      }).observe(document.querySelector('.gk-main'), { subtree: true, childList: true });
    });
    const steps = [
      [['有效性', '有效'], `/library/validity/${encodeURIComponent('有效')}`, { validity: ['有效'] }],
      [['文种', '办法'], `/library?validity=${encodeURIComponent('有效')}&type=${encodeURIComponent('办法')}`, { validity: ['有效'], type: ['办法'] }],
    ];
    for (const [[legend, value], path, chosen] of steps) {
      await lib.box(legend, value).check();
      await lib.expectState(path);
      await expectCounts(lib, chosen, `${legend} ${value}`);
      await eventually(async () =>
        assert.match(
          await page.evaluate(() => document.querySelector('.gk-main p.gk-visually-hidden[role="status"]')?.textContent ?? ''),
          /筛选结果/,
        ),
      );
      assert.equal(
        await page.evaluate(() => window.gkRegion === document.querySelector('.gk-main p.gk-visually-hidden[role="status"]')),
        true,
        `${path}: the live region of the first view says the new count`,
      );
    }
    assert.equal(await page.evaluate(() => window.gkLoading), 0, 'no 加载中 while a tick applies');
  });
});

test('keyboard: Space ticks a box, the state applies, and focus stays on the box', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    const lib = new Library(session);
    await lib.goto('/library');
    const box = lib.box('文种', '通知');
    await box.focus();
    const id = await box.getAttribute('id');
    await page.keyboard.press('Space');
    await lib.expectState(`/library/type/${encodeURIComponent('通知')}`);
    await expectCounts(lib, { type: ['通知'] }, '通知 by keyboard');
    await eventually(async () =>
      assert.equal(await page.evaluate(() => document.activeElement?.id), id, 'focus is back on the box'),
    );
    assert.equal(await page.locator(`#${id}`).isChecked(), true);
    // Tab moves on to the next box: the reader is where they were.
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => document.activeElement?.getAttribute('type'));
    assert.equal(next, 'checkbox');
  });
});

test('order by 成文日期 and a range of years', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const lib = new Library(session);
    await lib.goto('/library');
    await lib.main().getByRole('combobox', { name: '排序', exact: true }).selectOption('written');
    // The state, not only the URL: the next control must be the new page's.
    await lib.expectState('/library?sort=written');
    const day = (i) => i._gov.written_date ?? beijingDate(i.date_published);
    const order = newestFirst(feed.items)
      .map((i, n) => ({ i, n }))
      .sort((a, b) => (day(a.i) === day(b.i) ? a.n - b.n : day(a.i) < day(b.i) ? 1 : -1))
      .map(({ i }) => i.title);
    await lib.expectTitles((shown) => assert.deepEqual(shown, order.slice(0, 20), 'newest 成文日期 first'));

    await lib.main().getByRole('combobox', { name: '从', exact: true }).selectOption('2023');
    await lib.expectPath('/library?from=2023&sort=written');
    const from2023 = feed.items.filter((i) => Number(valuesOf(i, 'year')[0]) >= 2023).length;
    await eventually(async () => assert.equal(await lib.count(), `共 ${from2023} 件`));
  });
});

/**
 * Changes several controls in one task, as a fast reader does before the
 * new state has rendered: each step finds its control in the page as it is
 * then (still the old state's), so the test never depends on timing.
 * A step is `{ id, value }` for a select or `{ id }` for a box to click.
 */
async function changeAtOnce(page, steps) {
  await page.evaluate((steps) => {
    for (const { id, value } of steps) {
      const control = document.getElementById(id);
      if (!control) throw new Error(`no control #${id}`);
      if (value === undefined) {
        control.click();
      } else {
        control.value = value;
        control.dispatchEvent(new Event('change', { bubbles: true }));
      }
    }
  }, steps);
}

test('issue 19 bug: 排序 then 从 in quick succession keeps the sort (and the reverse, and two boxes), Back restores each state', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    const lib = new Library(session);
    const from2023 = feed.items.filter((i) => Number(valuesOf(i, 'year')[0]) >= 2023).length;

    // 排序 then 从 before the sorted page has rendered: the sort must stay.
    await lib.goto('/library');
    await changeAtOnce(page, [
      { id: 'gk-library-sort', value: 'written' },
      { id: 'gk-year-from', value: '2023' },
    ]);
    await lib.expectState('/library?from=2023&sort=written');
    await eventually(async () => assert.equal(await lib.count(), `共 ${from2023} 件`));
    await page.goBack();
    await lib.expectState('/library?sort=written');
    await page.goBack();
    await lib.expectState('/library');

    // The reverse: 从 then 排序.
    await changeAtOnce(page, [
      { id: 'gk-year-from', value: '2023' },
      { id: 'gk-library-sort', value: 'written' },
    ]);
    await lib.expectState('/library?from=2023&sort=written');
    await page.goBack();
    await lib.expectState('/library?from=2023');
    await eventually(async () => assert.equal(await lib.count(), `共 ${from2023} 件`, 'Back to 从 2023'));

    // Two boxes in a row: both stay ticked.
    await lib.goto('/library');
    const valid = await lib.box('有效性', '有效').getAttribute('id');
    const banfa = await lib.box('文种', '办法').getAttribute('id');
    await changeAtOnce(page, [{ id: valid }, { id: banfa }]);
    const both = `/library?validity=${encodeURIComponent('有效')}&type=${encodeURIComponent('办法')}`;
    await lib.expectState(both);
    await expectCounts(lib, { validity: ['有效'], type: ['办法'] }, 'two boxes at once');
    await page.goBack();
    await lib.expectState(`/library/validity/${encodeURIComponent('有效')}`);
    await expectCounts(lib, { validity: ['有效'] }, 'Back to 有效');
    assert.equal(await lib.box('文种', '办法').isChecked(), false, 'Back unticks 办法');
  });
});

test('the 文号 box finds the document first in every common form', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    const lib = new Library(session);
    await lib.goto('/library');
    assert.equal(BANFA._gov.doc_no, '武科发〔2023〕3号');
    for (const typed of ['武科发〔2023〕3号', '武科发[2023]3号', '武科发 2023 3', '〔2023〕3号', '2023年3号']) {
      const box = page.getByRole('searchbox', { name: '按文号查找', exact: true });
      await box.fill(typed);
      await box.press('Enter');
      await lib.expectPath(`/library?docno=${encodeURIComponent(typed)}`);
      await lib.expectTitles((shown) => assert.equal(shown[0], BANFA.title, `${typed}: the 办法 comes first`));
      const row = lib.row(BANFA.title);
      assert.match(normalize(await row.innerText()), /文号:武科发〔2023〕3号/, `${typed}: the row shows the 文号`);
    }
    await page.getByRole('searchbox', { name: '按文号查找', exact: true }).fill('科技活动周');
    await page.getByRole('button', { name: '查找', exact: true }).click();
    await eventually(async () =>
      assert.match(normalize(await lib.main().innerText()), /“科技活动周”不是文号/, 'a text that is not a 文号 is named'),
    );
    await session.checkPage('library, 文号');
  });
});

test('长者模式: the library is usable and axe-clean', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await seedSettings(session.context, { elder: 'on' });
    const lib = new Library(session);
    await lib.goto(`/library/type/${encodeURIComponent('办法')}`);
    await expectCounts(lib, { type: ['办法'] }, '长者模式 办法');
    await lib.box('有效性', '有效').check();
    await expectCounts(lib, { type: ['办法'], validity: ['有效'] }, '长者模式 办法 and 有效');
    await session.checkPage('library, 长者模式');
  });
});

test('no JavaScript: the static pages list everything and each facet value, linked and paginated', async (t) => {
  await withPage(browser, t, { javaScript: false }, async (session) => {
    const { page } = session;
    const lib = new Library(session);
    await lib.goto('/library');
    await lib.expectHeading1('政策文件库');
    assert.equal(await lib.count(), `共 ${feed.items.length} 件`);
    await lib.expectTitles((shown) => assert.deepEqual(shown, newestFirst().slice(0, 20).map((i) => i.title)));
    // The facet values are links to their own pages, with the same counts.
    const counts = expectedCounts({});
    const types = lib.group('文种');
    for (const [value, n] of Object.entries(counts.type)) {
      const link = types.getByRole('link', { name: `${value} (${n})`, exact: true });
      assert.equal(
        decodeURIComponent(new URL(await link.getAttribute('href'), urlFor('/')).pathname),
        `/library/type/${value}`,
      );
    }
    await types.getByRole('link', { name: `办法 (${counts.type['办法']})`, exact: true }).click();
    await lib.expectPath(`/library/type/${encodeURIComponent('办法')}`);
    assert.equal(await lib.count(), `共 ${counts.type['办法']} 件`);
    assert.deepEqual(await lib.titles(), expectedItems({ type: ['办法'] }).map((i) => i.title));
    assert.equal(await lib.group('文种').getByRole('link', { name: /^办法/ }).getAttribute('aria-current'), 'page');

    // Paginated: page 2 of everything, and of 有效.
    await lib.goto('/library?page=2');
    await lib.expectTitles((shown) => assert.deepEqual(shown, newestFirst().slice(20, 40).map((i) => i.title)));
    const valid = expectedItems({ validity: ['有效'] });
    assert.ok(valid.length > 20, 'the sample has more than a page of 有效 notices');
    await lib.goto(`/library/validity/${encodeURIComponent('有效')}?page=2`);
    await lib.expectTitles((shown) => assert.deepEqual(shown, valid.slice(20, 40).map((i) => i.title)));
    // 繁體.
    await lib.goto(`/library/type/${encodeURIComponent('办法')}?lang=zh-Hant`);
    await lib.expectHeading1('政策文件庫:辦法');
    // No axe here: it runs as a script in the page, and this page has none
    // (it waits for ever); the app's render of the same markup is checked above.

    // A state without a page of its own is the app's, never the unfiltered page.
    const query = await page.request.get(urlFor(`/library?validity=${encodeURIComponent('有效')}&type=${encodeURIComponent('办法')}`));
    assert.doesNotMatch(await query.text(), /class="gk-app"/, 'a query state gets the app shell');
    const sorted = await page.request.get(urlFor('/library?sort=written'));
    assert.doesNotMatch(await sorted.text(), /class="gk-app"/);
    assert.equal(appPath(page.url()).startsWith('/library'), true);
  });
});

test('relations show both ways, in the app and on the static pages', async (t) => {
  for (const javaScript of [true, false]) {
    await withPage(browser, t, { javaScript }, async (session) => {
      const art = new ArticlePage(session);
      const related = (title) => art.main().getByRole('region', { name: '相关文件', exact: true }).getByRole('listitem').filter({ hasText: title });

      await art.goto(`/article/${BANFA.id}`);
      await art.expectHeading1(BANFA.title);
      assert.equal(normalize(await related(JIEDU.title).innerText()), `政策解读:《${JIEDU.title}》`);
      assert.equal(normalize(await related(OLD.title).innerText()), `废止:《${OLD.title}》`);

      await art.goto(`/article/${JIEDU.id}`);
      assert.equal(normalize(await related(BANFA.title).innerText()), `原文:《${BANFA.title}》`);
      await related(BANFA.title).getByRole('link').click();
      await art.expectPath(`/article/${BANFA.id}`);

      await art.goto(`/article/${OLD.id}`);
      const note = art.statusNotice('本文件已被');
      assert.equal(normalize(await note.innerText()), `已废止:本文件已被《${BANFA.title}》废止,内容仅供查阅,不再作为办事依据。`);
      assert.equal(
        await note.getByRole('link', { name: `《${BANFA.title}》`, exact: true }).getAttribute('href').then((h) => h.endsWith(`/article/${BANFA.id}`)),
        true,
      );

      await art.goto(`/article/${OLD_GUIDE.id}`);
      assert.equal(
        normalize(await art.statusNotice('本文件已被').innerText()),
        `已修订:本文件已被《${GUIDE.title}》修订,请以修订后的文件为准。`,
      );
      await art.goto(`/article/${GUIDE.id}`);
      assert.equal(normalize(await related(OLD_GUIDE.title).innerText()), `修订:《${OLD_GUIDE.title}》`);
      if (javaScript) await session.checkPage('article with relations');
    });
  }
});

test('lists and the library say 有效性 in words where it is not 有效', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const list = new ListPage(session);
    for (const [notice, word] of [
      [OLD, '已废止'],
      [OLD_GUIDE, '已修订'],
    ]) {
      await list.goto(`/column/${notice._gov.category}`);
      await list.waitForList();
      assert.match(normalize(await list.row(notice.title).innerText()), new RegExp(word), `${notice.title} says ${word}`);
    }
    const lib = new Library(session);
    await lib.goto('/library');
    await lib.box('有效性', '已修订').check();
    await lib.expectTitles((shown) => assert.ok(shown.includes(OLD_GUIDE.title)));
    assert.match(normalize(await lib.row(OLD_GUIDE.title).innerText()), /已修订/);
    await lib.box('有效性', '有效').check();
    await lib.expectTitles((shown) => assert.ok(shown.length > 1));
    // 有效 is not repeated on every row.
    const valid = expectedItems({ validity: ['有效'] })[0];
    assert.doesNotMatch(normalize(await lib.row(valid.title).innerText()), /有效/);
  });
});

test('the library is in the column navigation', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const site = new SitePage(session);
    await site.goto('/');
    await site.columnLink('政策文件库').click();
    await site.expectPath('/library');
    await site.expectHeading1('政策文件库');
  });
});
