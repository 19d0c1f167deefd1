// Journey: a reader on a 320 px wide phone.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ListPage } from './pages.mjs';
import { ORIGINAL, itemTitled, launchBrowser, withPage } from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const NARROW = { width: 320, height: 640 };

async function assertNoHorizontalScroll(session, what) {
  const { scrollWidth, offenders } = await session.page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
    return { scrollWidth: document.documentElement.scrollWidth, offenders: wide };
  });
  assert.ok(
    scrollWidth <= NARROW.width,
    `expected no horizontal scrolling on ${what} at 320 px, but the page is ${scrollWidth} px wide; ` +
      `elements past the edge: ${offenders.join(', ') || '(none found)'}`,
  );
}

test('320 px: the home page fits without horizontal scrolling', async (t) => {
  await withPage(browser, t, { viewport: NARROW }, async (session) => {
    const home = new ListPage(session);
    await home.goto('/');
    await home.waitForList();
    await assertNoHorizontalScroll(session, 'the home page');
    await session.checkPage('home 320px');
  });
});

test('320 px: the original notice fits without horizontal scrolling', async (t) => {
  await withPage(browser, t, { viewport: NARROW }, async (session) => {
    const article = new ArticlePage(session);
    await article.goto(`/article/${itemTitled(ORIGINAL.title).id}`);
    await article.expectHeading1(ORIGINAL.title);
    await assertNoHorizontalScroll(session, 'the article page');
    await session.checkPage('article 320px');
  });
});
