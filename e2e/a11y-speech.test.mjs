// Reading aloud (issue 4): 指读 speaks what is under the pointer or has the
// focus, 连读 reads the article paragraph by paragraph, 停止 stops, and a
// browser without speech gets a clear message. The page's speechSynthesis
// is replaced by a recorder (support.mjs installSpeech) before the app loads.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ReadingControls } from './pages.mjs';
import {
  ORIGINAL,
  eventually,
  expectAppAttributes,
  installSpeech,
  itemTitled,
  launchBrowser,
  normalize,
  seedSettings,
  speechLog,
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

/** The original article with the toolbar open and the recorder installed. */
async function openArticle(session, { missing = false } = {}) {
  await installSpeech(session.context, { missing });
  await seedSettings(session.context, { toolbar: 'open' });
  const article = new ArticlePage(session);
  await article.goto(`/article/${original.id}`);
  await article.expectHeading1(ORIGINAL.title);
  const controls = new ReadingControls(session);
  await controls.toolbar().waitFor({ state: 'visible' });
  return { article, controls };
}

/** The article body's paragraphs, as text, in order (empty ones left out). */
async function paragraphs(page) {
  return (await page.locator('.gk-article__body p').allInnerTexts()).map(normalize).filter(Boolean);
}

test('a11y speech: 指读 on, hovering a paragraph speaks exactly that paragraph, in zh-CN', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session);
    await controls.button('指读').click();
    await controls.expectAria(controls.button('指读'), 'pressed', 'true', 'the 指读 button after clicking it');

    const paragraph = session.page.locator('.gk-article__body p').nth(1);
    const expected = normalize(await paragraph.innerText());
    const before = (await speechLog(session.page)).spoken.length;
    await paragraph.hover();
    await eventually(async () => {
      const { spoken } = await speechLog(session.page);
      const after = spoken.slice(before);
      assert.ok(after.length > 0, 'hovering the second paragraph of the body with 指读 on spoke nothing');
      const last = after[after.length - 1];
      assert.equal(normalize(last.text), expected, 'the last utterance after hovering should be the hovered paragraph');
      assert.match(last.lang, /^zh(-CN|-Hans)?/i, `utterance lang "${last.lang}", expected zh-CN`);
    });
  });
});

test('a11y speech: 指读 on, focusing a link speaks its text', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session);
    await controls.button('指读').click();
    await controls.expectAria(controls.button('指读'), 'pressed', 'true', 'the 指读 button after clicking it');

    const link = session.page.getByRole('navigation', { name: '当前位置' }).getByRole('link').last();
    const text = normalize(await link.innerText());
    const before = (await speechLog(session.page)).spoken.length;
    await link.focus();
    await eventually(async () => {
      const after = (await speechLog(session.page)).spoken.slice(before).map((u) => normalize(u.text));
      assert.ok(
        after.some((u) => u.includes(text)),
        `focusing the breadcrumb link "${text}" with 指读 on should speak it; spoke ${JSON.stringify(after)}`,
      );
    });
  });
});

test('a11y speech: 连读 reads the article body from the first paragraph in order; 语速 changes the rate', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session);
    const body = await paragraphs(session.page);
    assert.ok(body.length >= 3, `the original notice should have at least 3 paragraphs, has ${body.length}`);

    await controls.button('连读').click();
    await eventually(async () => {
      const spoken = (await speechLog(session.page)).spoken.map((u) => normalize(u.text));
      const read = spoken.filter((u) => body.includes(u));
      assert.deepEqual(read, body, `连读 should speak every body paragraph once, in order, from the first; spoke ${JSON.stringify(spoken.map((s) => s.slice(0, 12)))}`);
    });
    const { spoken } = await speechLog(session.page);
    const normalRate = spoken.find((u) => normalize(u.text) === body[0]).rate;

    // A faster rate, chosen in 语速, applies to the next reading.
    const options = await controls.speechRate().locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(options.length >= 3, `语速 should offer at least three rates, offers ${JSON.stringify(options)}`);
    await controls.speechRate().selectOption(options[options.length - 1]);
    const before = spoken.length;
    await controls.button('连读').click();
    await eventually(async () => {
      const again = (await speechLog(session.page)).spoken.slice(before);
      const first = again.find((u) => normalize(u.text) === body[0]);
      assert.ok(first, `连读 after changing 语速 should read the first paragraph again; spoke ${again.length} utterance(s)`);
      assert.ok(first.rate > normalRate, `语速 "${options[options.length - 1]}": rate ${first.rate}, expected more than the normal ${normalRate}`);
    });
  });
});

test('a11y speech: 连读 from the paragraph under the pointer', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session);
    const body = await paragraphs(session.page);
    // Keyboard activation keeps the pointer over the third paragraph.
    await session.page.locator('.gk-article__body p').nth(2).hover();
    await controls.button('连读').focus();
    await session.page.keyboard.press('Enter');
    await eventually(async () => {
      const spoken = (await speechLog(session.page)).spoken.map((u) => normalize(u.text));
      const read = spoken.filter((u) => body.includes(u));
      assert.deepEqual(
        read.slice(0, 2),
        body.slice(2, 4),
        `连读 with the pointer over the third paragraph should start there; spoke ${JSON.stringify(read.map((s) => s.slice(0, 12)))}`,
      );
    });
  });
});

test('a11y speech: 停止 cancels speech and nothing more is read', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session);
    await controls.button('连读').click();
    await eventually(async () => {
      assert.ok((await speechLog(session.page)).spoken.length > 0, '连读 spoke nothing');
    });
    await controls.button('停止').click();
    await eventually(async () => {
      assert.ok((await speechLog(session.page)).cancels > 0, '停止 should call speechSynthesis.cancel()');
    });
    const count = (await speechLog(session.page)).spoken.length;
    // An absence cannot be waited for, but what would cause it can: 连读
    // could only go on in answer to the cancelled utterances' events. Wait
    // until the recorder has fired all of them, then let the page run one
    // more task, so anything the app does in answer has been done.
    await eventually(async () => {
      const { dropped, errorsFired } = await session.page.evaluate(() => window.__speech);
      assert.equal(errorsFired, dropped, 'the cancelled utterances have all been told');
    });
    await session.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const later = (await speechLog(session.page)).spoken.slice(count).map((u) => u.text.slice(0, 12));
    assert.deepEqual(later, [], 'after 停止 nothing more should be spoken');
  });
});

test('a11y speech: without speechSynthesis, 指读 says the browser does not support it', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { controls } = await openArticle(session, { missing: true });
    await controls.button('指读').click();
    await eventually(async () => {
      const text = normalize(await controls.message().innerText());
      assert.ok(text.includes('不支持'), `expected .gk-a11ybar__message to say 不支持 (no speech in this browser), saw "${text}"`);
    });
    assert.equal(await controls.message().getAttribute('role'), 'status', '.gk-a11ybar__message should be role=status');
    await expectAppAttributes(session.page, { 'data-elder': 'off' }, '(the rest of the app still works)');
  });
});
