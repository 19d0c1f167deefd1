// Journey: search that passes inspection (issue 20): a pinyin query, a 文号
// in three forms, a synonym in 模糊, a 您是不是要找 link, the counts per
// 栏目 as filter links; in 简体 and 繁體, each page checked with axe.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SitePage } from './pages.mjs';
import { columns, eventually, feed, htmlToText, launchBrowser, normalize, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const squash = (s) => s.replace(/\s+/g, '');
/** Title, summary and body of a notice, as the search reads them. */
const fullText = (item) =>
  squash(`${item.title}${item.summary ?? ''}${htmlToText(item.content_html ?? item.content_text ?? '')}`);
/** 模糊 matching of one Chinese term: every pair of adjacent characters somewhere. */
const fuzzyHas = (text, term) => [...term].slice(1).every((c, i) => text.includes(term[i] + c));

class SearchPage extends SitePage {
  async open(q, params = {}) {
    const search = new URLSearchParams({ q, scope: 'full', match: 'exact', sort: 'relevance', ...params });
    await this.goto(`/search?${search}`);
  }
  async count() {
    const text = normalize(await this.page.locator('.gk-results__count').innerText());
    const m = text.match(/共找到 (\d+) [条條]结果|共找到 (\d+) 條結果/);
    assert.ok(m, `expected "共找到 N 条结果", saw "${text}"`);
    return Number(m[1] ?? m[2]);
  }
  /** The link of the first result (it names the notice's id). */
  async firstHref() {
    const first = this.page.locator('.gk-results__link').first();
    return (await first.count()) ? first.getAttribute('href') : '';
  }
  facets(name) {
    return this.page.getByRole('navigation', { name });
  }
}

test('search: pinyin finds the Han text it spells, and says so', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    for (const typed of ['kejiju', 'ke ji ju', 'kējìjú']) {
      await page.open(typed);
      const note = session.page.locator('.gk-results__widened');
      await eventually(async () => assert.match(normalize(await note.innerText()), /已按拼音“kejiju”搜索：/));
      // The words it was read as, from the note; the truth from the feed.
      const words = normalize(await note.innerText()).split('：')[1].split('、');
      assert.ok(words.includes('科技局'), `kejiju reads 科技局: ${words}`);
      const truth = feed.items.filter((item) => words.some((w) => fullText(item).includes(w)));
      await eventually(async () => assert.equal(await page.count(), truth.length, `${typed}: notices with ${words}`));
      const marks = await session.page.locator('.gk-results__link mark').allInnerTexts();
      assert.ok(marks.length > 0 && marks.every((m) => words.includes(squash(m))), `the read words are marked: ${marks}`);
    }
    await session.checkPage('pinyin results');
    // 首字母.
    await page.open('kjj');
    await eventually(async () => assert.match(normalize(await session.page.locator('.gk-results__widened').innerText()), /科技局/));
  });
});

test('search: a 文号 in three forms puts its notice first', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    const item = feed.items.find((i) => i._gov.doc_no);
    const no = item._gov.doc_no;
    const [, agency, year, number] = no.match(/^(.+)〔(\d{4})〕(\d+)号$/);
    for (const form of [no, `${agency}[${year}]${number}号`, `${agency} ${year} ${number}`]) {
      await page.open(form);
      await eventually(async () => {
        assert.ok((await page.firstHref()).includes(`/${item.id}`), `${form}: ${item.id} first`);
      });
    }
    await session.checkPage('文号 results');
  });
});

test('search: a synonym widens 模糊 (科技局 = 科学技术局) and 精确 stays literal', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.open('科技局', { match: 'fuzzy' });
    const note = session.page.locator('.gk-results__widened');
    await eventually(async () => assert.match(normalize(await note.innerText()), /已包含“科技局”的同义词：科学技术局/));
    const truth = feed.items.filter((item) => ['科技局', '科学技术局'].some((w) => fuzzyHas(fullText(item), w)));
    await eventually(async () => assert.equal(await page.count(), truth.length));
    await session.checkPage('synonym results');
    await page.open('科技局');
    const exact = feed.items.filter((item) => fullText(item).includes('科技局'));
    await eventually(async () => assert.equal(await page.count(), exact.length));
    assert.equal(await note.count(), 0, '精确 says nothing of synonyms');
  });
});

test('search: 您是不是要找 offers the site\'s word, as a link', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.open('科计局');
    const list = session.page.getByRole('list', { name: '您是不是要找：' });
    await eventually(async () => assert.ok((await list.getByRole('link').count()) >= 1));
    assert.ok((await list.getByRole('link').count()) <= 3, 'at most 3');
    await session.checkPage('did you mean');
    await list.getByRole('link', { name: '科技局', exact: true }).click();
    await page.expectPath((p) => new URL(p, 'http://x').searchParams.get('q') === '科技局');
    const truth = feed.items.filter((item) => fullText(item).includes('科技局'));
    await eventually(async () => assert.equal(await page.count(), truth.length));
    assert.equal(await session.page.locator('.gk-suggest').count(), 0, 'none when the query has results');
  });
});

test('search: counts per 栏目 above the results, each a link that filters', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.open('科技');
    const truth = feed.items.filter((item) => fullText(item).includes('科技'));
    await eventually(async () => assert.equal(await page.count(), truth.length));
    const nav = page.facets('按栏目分类');
    const links = await nav.getByRole('link').allInnerTexts();
    const want = [`全部栏目（${truth.length}）`];
    for (const c of columns) {
      const n = truth.filter((item) => item._gov.category === c.id).length;
      if (n > 0) want.push(`${c.name}（${n}）`);
    }
    assert.deepEqual(links.map(normalize), want);
    assert.equal(await nav.getByRole('link', { name: want[0] }).getAttribute('aria-current'), 'true');
    await session.checkPage('counts per column');
    // Filter by the second facet: its count, and the counts stay.
    const [, name, n] = want[1].match(/^(.+)（(\d+)）$/);
    await nav.getByRole('link', { name: want[1] }).click();
    const id = columns.find((c) => c.name === name).id;
    await page.expectPath((p) => new URL(p, 'http://x').searchParams.get('column') === id);
    await eventually(async () => assert.equal(await page.count(), Number(n)));
    assert.deepEqual((await nav.getByRole('link').allInnerTexts()).map(normalize), want, 'the counts ignore the filter');
    assert.equal(await nav.getByRole('link', { name: want[1] }).getAttribute('aria-current'), 'true');
  });
});

test('search: the features in 繁體', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = new SearchPage(session);
    await page.open('科计局');
    await session.page.getByRole('list', { name: '您是不是要找：' }).waitFor();
    await page.topBarButton('繁體').click();
    await page.expectHeading1('搜索結果');
    const list = session.page.getByRole('list', { name: '您是不是要找：' });
    await list.getByRole('link', { name: '科技局', exact: true }).waitFor();
    await session.checkPage('did you mean in 繁體');
    await page.open('kejiju');
    await eventually(async () => assert.match(normalize(await session.page.locator('.gk-results__widened').innerText()), /已按拼音“kejiju”搜索：.*科技局/));
    const nav = page.facets('按欄目分類');
    await eventually(async () => assert.match(normalize(await nav.getByRole('link').first().innerText()), /^全部欄目（\d+）$/));
    await page.open('科學技術局', { match: 'fuzzy' });
    await eventually(async () => assert.match(normalize(await session.page.locator('.gk-results__widened').innerText()), /已包含“科學技術局”的同義詞：科技局/));
    await page.open('武科發〔2025〕21號');
    const item = feed.items.find((i) => i._gov.doc_no === '武科发〔2025〕21号');
    await eventually(async () => assert.ok((await page.firstHref()).includes(`/${item.id}`), `${item.id} first`));
    await session.checkPage('features in 繁體');
  });
});
