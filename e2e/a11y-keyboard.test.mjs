// Keyboard and persistence (issue 4): the skip link, a keyboard-only journey
// from the home page to an article and through the reading controls, the
// toolbar's shortcuts, and settings that survive reloads and page changes.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ListPage, ReadingControls, SitePage } from './pages.mjs';
import {
  DEFAULT_SETTINGS,
  SETTINGS_KEY,
  eventually,
  expectAppAttributes,
  expectedAttributes,
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

/** A short description of the focused element, for messages. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    return `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${normalize(el.innerText || el.getAttribute('aria-label') || '')}"`;
    function normalize(s) {
      return s.replace(/\s+/g, ' ').trim().slice(0, 30);
    }
  });
}

/**
 * Presses `key` (Tab or Shift+Tab) until `matches(activeElement)` holds in the
 * page, at most `limit` times; fails naming where focus went.
 */
async function tabTo(page, key, matches, what, limit = 120) {
  const trail = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate(matches)) return;
    trail.push(await focused(page));
  }
  assert.fail(`pressed ${key} ${limit} times without reaching ${what}; focus went through:\n  ${trail.slice(-25).join('\n  ')}`);
}

test('a11y keyboard: the first Tab stop is 跳到主要内容, and it moves focus to main', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const home = new ListPage(session);
    await home.goto('/');
    await home.waitForList();
    await session.page.keyboard.press('Tab');
    const first = await session.page.evaluate(() => ({
      text: document.activeElement?.textContent.trim(),
      top: document.activeElement?.getBoundingClientRect().top,
      bottom: document.activeElement?.getBoundingClientRect().bottom,
    }));
    assert.equal(first.text, '跳到主要内容', `the first Tab stop should be the skip link, was ${await focused(session.page)}`);
    assert.ok(first.top >= 0 && first.bottom <= 900, `the focused skip link should be on screen, is at ${first.top}–${first.bottom}`);
    await session.screenshot('skip link focused');
    await session.page.keyboard.press('Enter');
    await eventually(async () => {
      const inMain = await session.page.evaluate(() => !!document.activeElement?.closest('main'));
      assert.ok(inMain, `after Enter on the skip link focus should be in main, is on ${await focused(session.page)}`);
    });
  });
});

test('a11y keyboard: home → first notice → 字体 大 → 长者模式 → 无障碍阅读 → 放大, keyboard only', async (t) => {
  const first = newestFirst()[0];
  await withPage(browser, t, {}, async (session) => {
    const page = session.page;
    const home = new ListPage(session);
    const controls = new ReadingControls(session);
    await home.goto('/');
    await home.waitForList();

    await tabTo(
      page,
      'Tab',
      () => document.activeElement?.matches('main a[href*="article/"]') ?? false,
      'the first notice link in main',
    );
    assert.equal(normalize(await page.evaluate(() => document.activeElement.innerText)), first.title, 'the first notice link reached by Tab');
    await page.keyboard.press('Enter');
    const article = new ArticlePage(session);
    await article.expectPath(`/article/${first.id}`);
    await article.expectHeading1(first.title);

    // 字体 大: a button in the group labelled 字体.
    const bodySize = () => page.locator('.gk-article__body').evaluate((b) => parseFloat(getComputedStyle(b).fontSize));
    const before = await bodySize();
    await tabTo(
      page,
      'Tab',
      () => {
        const el = document.activeElement;
        return !!el && el.closest('[role="group"][aria-label="字体"]') !== null && el.textContent.trim() === '大';
      },
      'the 字体 大 button',
    );
    await page.keyboard.press('Space');
    await controls.expectAria(controls.fontButton('大'), 'pressed', 'true', '字体 大 after Space');
    await controls.expectAria(controls.fontButton('中'), 'pressed', 'false', '字体 中 after choosing 大');
    await eventually(async () => {
      const after = await bodySize();
      assert.ok(after > before, `the article body should grow with 字体 大: ${before}px before, ${after}px after`);
    });

    // Back up to the top bar.
    await tabTo(page, 'Shift+Tab', () => document.activeElement?.textContent.trim() === '长者模式', 'the 长者模式 button');
    await page.keyboard.press('Enter');
    await controls.expectAria(controls.elderMode(), 'pressed', 'true', '长者模式 after Enter');
    await expectAppAttributes(page, { 'data-elder': 'on' }, 'after 长者模式 by keyboard');

    // 无障碍阅读 sits next to 长者模式 in the top bar (before or after it).
    await tabTo(page, 'Shift+Tab', () => document.activeElement?.textContent.trim() === '无障碍阅读', 'the 无障碍阅读 button');
    await page.keyboard.press('Enter');
    await controls.expectAria(controls.accessibility(), 'expanded', 'true', '无障碍阅读 after Enter');
    await controls.toolbar().waitFor({ state: 'visible' });

    await tabTo(
      page,
      'Tab',
      () => document.activeElement?.closest('.gk-a11ybar') !== null && document.activeElement.textContent.trim() === '放大',
      'the toolbar 放大 button',
      60,
    );
    await page.keyboard.press('Enter');
    await expectAppAttributes(page, { 'data-zoom': '125' }, 'after 放大 by keyboard');
    await session.screenshot('keyboard journey end');
  });
});

test('a11y keyboard: shortcuts Alt+Shift+1/2/3/0 toggle the toolbar, 放大, 缩小, 重置; 帮助 turns them off', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = session.page;
    const home = new ListPage(session);
    const controls = new ReadingControls(session);
    await home.goto('/');
    await home.waitForList();

    await page.keyboard.press('Alt+Shift+Digit1');
    await controls.toolbar().waitFor({ state: 'visible' });
    await controls.expectAria(controls.accessibility(), 'expanded', 'true', '无障碍阅读 after Alt+Shift+1');
    await page.keyboard.press('Alt+Shift+Digit1');
    await controls.toolbar().waitFor({ state: 'hidden' });
    await page.keyboard.press('Alt+Shift+Digit1');
    await controls.toolbar().waitFor({ state: 'visible' });

    await page.keyboard.press('Alt+Shift+Digit2');
    await expectAppAttributes(page, { 'data-zoom': '125' }, 'after Alt+Shift+2 (放大)');
    await page.keyboard.press('Alt+Shift+Digit2');
    await expectAppAttributes(page, { 'data-zoom': '150' }, 'after Alt+Shift+2 twice');
    await page.keyboard.press('Alt+Shift+Digit3');
    await expectAppAttributes(page, { 'data-zoom': '125' }, 'after Alt+Shift+3 (缩小)');
    await controls.button('黑底黄字').click();
    await expectAppAttributes(page, { 'data-scheme': 'yellow-on-black' }, 'after 黑底黄字');
    await page.keyboard.press('Alt+Shift+Digit0');
    await expectAppAttributes(page, { 'data-zoom': '100', 'data-scheme': 'default' }, 'after Alt+Shift+0 (重置)');

    // 帮助 lists the shortcuts and can turn them off.
    await controls.openToolbar();
    await controls.button('帮助').click();
    await controls.expectAria(controls.button('帮助'), 'expanded', 'true', '帮助 after clicking it');
    const help = page.locator('.gk-a11ybar__help');
    await help.waitFor({ state: 'visible' });
    const keys = normalize(await help.locator('.gk-a11ybar__keys').innerText());
    for (const k of ['1', '2', '3', '0']) {
      assert.ok(keys.includes(k), `帮助 should list the shortcut with ${k}; it reads "${keys}"`);
    }
    assert.ok(await controls.shortcutsCheckbox().isChecked(), '启用快捷键 should be checked by default');
    await controls.shortcutsCheckbox().uncheck();
    await page.keyboard.press('Alt+Shift+Digit2');
    // If the shortcut still worked, the click below would reach 150, not 125.
    await controls.button('放大').click();
    await expectAppAttributes(page, { 'data-zoom': '125' }, 'after Alt+Shift+2 with shortcuts off, then one click on 放大');
    await page.keyboard.press('Alt+Shift+Digit1');
    await controls.button('缩小').click();
    await controls.toolbar().waitFor({ state: 'visible' });
    await expectAppAttributes(page, { 'data-zoom': '100' }, 'after 缩小');
  });
});

test('a11y keyboard: 长者模式 persists across reloads and pages; 重置 returns every setting to its default', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = session.page;
    const home = new ListPage(session);
    const controls = new ReadingControls(session);
    await home.goto('/');
    await home.waitForList();

    await controls.elderMode().click();
    await expectAppAttributes(page, { 'data-elder': 'on' }, 'after clicking 长者模式');
    await eventually(async () => {
      const stored = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), SETTINGS_KEY)) ?? 'null');
      assert.equal(stored?.elder, 'on', `localStorage ${SETTINGS_KEY} should hold elder "on", holds ${JSON.stringify(stored)}`);
    });

    await page.reload();
    await home.waitForList();
    await expectAppAttributes(page, { 'data-elder': 'on' }, 'after a reload');
    await controls.expectAria(controls.elderMode(), 'pressed', 'true', '长者模式 after a reload');

    const first = newestFirst()[0];
    await home.noticeLink(first.title).click();
    const article = new ArticlePage(session);
    await article.expectHeading1(first.title);
    await expectAppAttributes(page, { 'data-elder': 'on' }, 'on an article reached by a link');

    await new SitePage(session).goto('/no/such/page');
    await new SitePage(session).expectHeading1('页面不存在');
    await expectAppAttributes(page, { 'data-elder': 'on' }, 'on the 404 page, loaded afresh');

    // Change more, then 重置.
    await controls.openToolbar();
    await controls.button('放大').click();
    await controls.button('白底黑字').click();
    await controls.button('大鼠标').click();
    await expectAppAttributes(page, { 'data-zoom': '125', 'data-scheme': 'black-on-white', 'data-cursor': 'on' }, 'before 重置');
    await controls.button('重置').click();
    const defaults = expectedAttributes(DEFAULT_SETTINGS);
    await expectAppAttributes(page, defaults, 'after 重置');
    await controls.expectAria(controls.elderMode(), 'pressed', 'false', '长者模式 after 重置');
    await page.reload();
    await new SitePage(session).expectHeading1('页面不存在');
    await expectAppAttributes(page, defaults, 'after 重置 and a reload');
  });
});
