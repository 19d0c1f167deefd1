// Journeys: a reader opens notices — the original one from the list, a deep
// link, one with attachments, a repealed one — and moves to the next notice.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ListPage } from './pages.mjs';
import {
  ORIGINAL,
  SITE,
  assertListPage,
  columnOf,
  displaySize,
  eventually,
  feed,
  htmlToText,
  itemTitled,
  launchBrowser,
  mimeLabel,
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

const original = itemTitled(ORIGINAL.title);

/** The first and the last sentence of an item's body text. */
function firstAndLastSentences(item) {
  const text = item.content_html ? htmlToText(item.content_html) : normalize(item.content_text ?? '');
  const sentences = text.match(/[^。！？!?]+[。！？!?]/gu) ?? [];
  assert.ok(sentences.length >= 2, `the body of ${item.id} should have at least two sentences`);
  return [sentences[0].trim(), sentences[sentences.length - 1].trim()];
}

test('the original notice: found through the list, every metadata value, body, breadcrumb, title', async (t) => {
  assert.equal(original._gov.index_no, ORIGINAL.indexNo, 'content/feed.json: the original notice has the wrong 索引号');
  const position = newestFirst().findIndex((i) => i.id === original.id);
  const page = Math.floor(position / 20) + 1;
  const column = columnOf(original);

  await withPage(browser, t, {}, async (session) => {
    const list = new ListPage(session);
    await list.goto('/');
    await list.waitForList();
    for (let p = 2; p <= page; p++) {
      await list.nextPage().click();
      await list.expectTitles((titles) => assertListPage(titles, feed.items, p, `list page ${p}`));
    }
    await list.noticeLink(ORIGINAL.title).click();

    const article = new ArticlePage(session);
    await article.expectPath(`/article/${original.id}`);
    await article.expectHeading1(ORIGINAL.title);

    const expected = {
      发布机构: '科技局',
      索引号: 'kjj1/2023-00026',
      来源: '科技局',
      时间: '2023-07-14',
      作者: '李凤林',
      主题分类: column.name,
    };
    if (original._gov.validity) expected['有效性'] = original._gov.validity;
    await eventually(async () => {
      const meta = await article.metadata();
      for (const [label, value] of Object.entries(expected)) {
        assert.equal(
          meta[label],
          value,
          `expected the metadata list to pair "${label}" (dt) with "${value}" (dd); it reads ${JSON.stringify(meta)}`,
        );
      }
    });
    const labels = await article.metadataLabels();
    const order = ['发布机构', '索引号', '来源', '时间', '作者'];
    assert.deepEqual(
      labels.filter((l) => order.includes(l)),
      order,
      `expected the metadata labels in the original page's order ${order.join(' ')}, saw ${labels.join(' ')}`,
    );

    const [first, last] = firstAndLastSentences(original);
    const text = await article.mainText();
    assert.ok(text.includes(first), `expected the body to contain its first sentence:\n  ${first}`);
    assert.ok(text.includes(last), `expected the body to contain its last sentence:\n  ${last}`);
    // The seed text's own opening and closing words (../shared/seed), whatever the punctuation.
    for (const words of ['近年来', '在县文明办的关心指导下', '筹办工作先进个人']) {
      assert.ok(text.includes(words), `expected the body to contain the seed text's words "${words}"`);
    }

    await article.expectBreadcrumb(['首页', SITE.section, column.name, ORIGINAL.title]);
    const current = article.breadcrumb().locator('[aria-current="page"]');
    assert.equal(normalize(await current.innerText()), ORIGINAL.title, 'expected the breadcrumb to mark the title with aria-current="page"');

    await eventually(async () => {
      const title = await session.page.title();
      assert.ok(title.startsWith(ORIGINAL.title), `expected the document title to start with "${ORIGINAL.title}", saw "${title}"`);
    });
    await session.checkPage('original notice');
  });
});

test('deep link: /article/<id> loads directly and again on reload', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const article = new ArticlePage(session);
    await article.goto(`/article/${original.id}`);
    await article.expectHeading1(ORIGINAL.title);
    await session.page.reload();
    await article.expectHeading1(ORIGINAL.title);
    await eventually(async () => {
      const meta = await article.metadata();
      assert.equal(meta['索引号'], ORIGINAL.indexNo, `expected 索引号 ${ORIGINAL.indexNo} after reload, saw ${JSON.stringify(meta)}`);
    });
  });
});

test('attachments: a notice with attachments lists each with its type and size', async (t) => {
  const item = feed.items.find((i) => (i.attachments ?? []).length > 0);
  assert.ok(item, 'the sample feed needs a notice with attachments');

  await withPage(browser, t, {}, async (session) => {
    const article = new ArticlePage(session);
    await article.goto(`/article/${item.id}`);
    await article.expectHeading1(item.title);
    await article.attachmentsHeading().waitFor({ state: 'visible' });

    for (const a of item.attachments) {
      const title = a.title ?? a.url.split('/').pop();
      const row = article.attachment(title);
      assert.equal(await row.count(), 1, `expected one attachment entry with a link named "${title}" under 附件`);
      const text = normalize(await row.innerText());
      assert.ok(text.includes(mimeLabel(a.mime_type)), `expected "${title}" to show its type ${mimeLabel(a.mime_type)}: "${text}"`);
      if (a.size_in_bytes != null) {
        assert.ok(text.includes(displaySize(a.size_in_bytes)), `expected "${title}" to show its size ${displaySize(a.size_in_bytes)}: "${text}"`);
      }
      const href = await row.getByRole('link', { name: title, exact: true }).getAttribute('href');
      assert.equal(href, a.url, `expected the link "${title}" to point at the attachment URL`);
    }
    await session.checkPage(`attachments ${item.id}`);
  });
});

test('已废止: a repealed notice is marked prominently', async (t) => {
  const item = feed.items.find((i) => i._gov?.validity === '已废止');
  assert.ok(item, 'the sample feed needs a notice whose 有效性 is 已废止');

  await withPage(browser, t, {}, async (session) => {
    const article = new ArticlePage(session);
    await article.goto(`/article/${item.id}`);
    await article.expectHeading1(item.title);
    const notice = article.statusNotice('已废止');
    await notice.first().waitFor({ state: 'visible' });
    const meta = await article.metadata();
    assert.equal(meta['有效性'], '已废止', `expected the metadata to say 有效性 已废止, it reads ${JSON.stringify(meta)}`);
    await session.checkPage(`repealed ${item.id}`);
  });
});

test('相邻文章: previous and next notices of the column', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const article = new ArticlePage(session);
    await article.goto(`/article/${original.id}`);
    await article.expectHeading1(ORIGINAL.title);

    const nav = article.neighbours();
    await nav.waitFor({ state: 'visible' });
    const text = normalize(await nav.innerText());
    assert.ok(text.includes('上一篇') && text.includes('下一篇'), `expected the navigation "相邻文章" to offer 上一篇 and 下一篇: "${text}"`);

    const links = nav.getByRole('link');
    const names = (await links.allInnerTexts()).map(normalize);
    assert.ok(names.length > 0, 'expected at least one neighbouring notice in the column');
    for (const name of names) {
      assert.match(name, /^(上一篇|下一篇)/, `expected each link in "相邻文章" to start with 上一篇 or 下一篇: "${name}"`);
    }

    const first = links.first();
    const name = normalize(await first.innerText());
    const target = feed.items.find((i) => name.endsWith(i.title));
    assert.ok(target, `the link "${name}" names no notice of the feed`);
    assert.equal(columnOf(target).id, columnOf(original).id, `expected "${name}" to be in the same column as the original notice`);
    await first.click();
    await article.expectPath(`/article/${target.id}`);
    await article.expectHeading1(target.title);
  });
});
