// The static pages and the app (issue 9): the static page of each page type
// has the very text the app renders; the app takes it over in one step,
// without a layout shift; stored settings apply before the first paint,
// before the app has started.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ORIGINAL,
  eventually,
  expectAppAttributes,
  itemTitled,
  launchBrowser,
  newestFirst,
  normalize,
  routeHandler,
  seedSettings,
  startApp,
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

const original = itemTitled(ORIGINAL.title);
const columnId = original._gov.category;

/** One page of each type the build writes. */
const PAGES = [
  ['home', '/'],
  ['list page 2', '/?page=2'],
  ['column', `/column/${columnId}`],
  ['article', `/article/${original.id}`],
  ['繁體 article', `/article/${original.id}?lang=zh-Hant`],
  ["newest notice", `/article/${newestFirst()[0].id}`],
];

/**
 * The app root's text, white space collapsed. The static page's copy of the
 * 无障碍阅读 toolbar (`data-static`, shown only to readers who keep it open)
 * is left out: the app renders its toolbar only for those readers.
 */
async function rootText(page) {
  return normalize(await page.locator('.gk-app').evaluate((root) => {
    const copy = root.cloneNode(true);
    for (const el of copy.querySelectorAll('[data-static]')) el.remove();
    return copy.textContent;
  }));
}

/**
 * Waits until the app has replaced the static page (one root, shown),
 * started as a reader does where it waits for one (`startApp`).
 */
async function waitForTakeover(page) {
  await startApp(page);
  await eventually(async () => {
    const state = await page.evaluate(() => ({
      roots: document.querySelectorAll('.gk-app').length,
      shown: Boolean(document.querySelector('[data-gongkai] > .gk-takeover:not([hidden]) > .gk-app[data-js="on"]')),
    }));
    assert.deepEqual(state, { roots: 1, shown: true }, 'the app has taken over the static page');
  });
}

/**
 * Holds the app's Wasm back until `release()`: the static page is then
 * surely what the browser shows, however fast or slow the machine is.
 * (Open the page with `waitUntil: 'commit'`, as its load may wait for it.)
 */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  await page.route('**/*.wasm', routeHandler(async (route) => {
    await released;
    await route.continue();
  }));
  return { release };
}

/** Sums the page's layout shifts from its first frame (call before `goto`). */
async function trackLayoutShift(page) {
  await page.addInitScript(() => {
    window.__gkShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.__gkShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The layout shift so far, read two frames on so a swap's shift is reported. */
function layoutShift(page) {
  return page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(window.__gkShift)))),
  );
}

for (const [name, path] of PAGES) {
  test(`static and app render the same text: ${name} (${path})`, async (t) => {
    let staticText;
    await withPage(browser, t, { javaScript: false }, async (session) => {
      await session.page.goto(urlFor(path));
      staticText = await rootText(session.page);
    });
    await withPage(browser, t, {}, async (session) => {
      await session.page.goto(urlFor(path));
      await waitForTakeover(session.page);
      const appText = await rootText(session.page);
      assert.ok(staticText.length > 200, `the static page has content: ${staticText}`);
      assert.equal(staticText, appText, `the static page of ${path} reads as the app does`);
    });
  });
}

test('the app takes over a static page without a layout shift and keeps the scroll position', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = session.page;
    await trackLayoutShift(page);
    await page.goto(urlFor(`/article/${original.id}`));
    await waitForTakeover(page);
    // Two frames after the swap, so any shift it caused has been reported.
    const shift = await layoutShift(page);
    assert.ok(shift <= 0.01, `Cumulative Layout Shift ${shift} after the takeover (at most 0.01)`);

    // A reader who scrolled the static page stays where they were.
    await page.goto(urlFor('/?page=2'));
    await page.evaluate(() => window.scrollTo(0, 600));
    const before = await page.evaluate(() => window.scrollY);
    await waitForTakeover(page);
    assert.equal(await page.evaluate(() => window.scrollY), before, 'the scroll position did not move');
  });
});

test('a link focused on the static page is still focused once the app has taken over', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const page = session.page;
    // The app is held back until the reader has moved focus on the static page.
    const app = await holdWasm(page);
    await page.goto(urlFor('/?page=2'), { waitUntil: 'commit' });
    const title = newestFirst()[22].title;
    const link = page.locator('[data-gongkai] > .gk-app').getByRole('link', { name: title, exact: true });
    await link.focus();
    assert.equal(await page.locator('.gk-takeover').count(), 0, 'focus was moved on the static page, before the app');
    app.release();
    await waitForTakeover(page);
    const focused = await page.evaluate(() => ({
      text: document.activeElement?.textContent.trim(),
      inApp: Boolean(document.activeElement?.closest('.gk-takeover')),
    }));
    assert.deepEqual(focused, { text: title, inApp: true }, 'focus moved to the same link in the app');
  });
});

test('with 长者模式 stored, the search box is above the masthead before the app starts, and the takeover does not shift', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await seedSettings(context, { elder: 'on' });
    await trackLayoutShift(page);
    await page.addInitScript(() => {
      // The order on the static page at the first frame that paints its
      // masthead (failed once in CI when the parser paused between the
      // masthead and the search box: the masthead was painted alone). A frame can come before the parser has reached the root,
      // so frames are watched until the masthead is there.
      const look = () => {
        const root = document.querySelector('[data-gongkai] > .gk-app');
        const kids = root ? [...root.children].map((e) => e.className.split(' ')[0]) : [];
        const masthead = root && root.querySelector(':scope > .gk-masthead');
        // Painted: a masthead parsed but kept hidden (style/components.css,
        // while the box may still come) is not yet on screen.
        if (masthead && getComputedStyle(masthead).visibility !== 'hidden') {
          window.__gkFirstOrder = kids.filter((c) => c === 'gk-search' || c === 'gk-masthead');
        } else {
          requestAnimationFrame(look);
        }
      };
      requestAnimationFrame(look);
    });
    // Hold the app back until that frame has been seen, so it is surely
    // the static page's.
    const app = await holdWasm(page);
    await page.goto(urlFor(`/article/${original.id}`), { waitUntil: 'commit' });
    await eventually(async () => {
      assert.deepEqual(await page.evaluate(() => window.__gkFirstOrder), ['gk-search', 'gk-masthead'],
        'the static page shows the search box first at its first frame');
    });
    app.release();
    await waitForTakeover(page);
    const order = await page.locator('.gk-app > .gk-search, .gk-app > .gk-masthead')
      .evaluateAll((els) => els.map((e) => e.className.split(' ')[0]));
    assert.deepEqual(order, ['gk-search', 'gk-masthead'], 'the app renders the same order');
    const shift = await layoutShift(page);
    assert.ok(shift <= 0.01, `Cumulative Layout Shift ${shift} in 长者模式 (at most 0.01)`);
  });
});

test('with the 无障碍阅读 toolbar kept open, the static page shows it at its first frame and the takeover does not shift', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await seedSettings(context, { toolbar: 'open' });
    await trackLayoutShift(page);
    await page.addInitScript(() => {
      // The toolbar's height at the first frame that paints it. A frame can
      // come before the parser has reached the root (a busy machine, a slow
      // network), so frames are watched until the toolbar is there; the
      // content after it is parsed later, so this is its first painted frame.
      const look = () => {
        const bar = document.querySelector('[data-gongkai] > .gk-app > .gk-a11ybar');
        if (bar && bar.nextElementSibling) {
          window.__gkFirstBar = Math.round(bar.getBoundingClientRect().height);
        } else {
          requestAnimationFrame(look);
        }
      };
      requestAnimationFrame(look);
    });
    // Hold the app back until that frame has been seen, so it is surely the
    // static page's.
    const app = await holdWasm(page);
    await page.goto(urlFor(`/article/${original.id}`), { waitUntil: 'commit' });
    let firstBar;
    await eventually(async () => {
      firstBar = await page.evaluate(() => window.__gkFirstBar);
      assert.notEqual(firstBar, undefined, 'the static page has painted its toolbar');
    });
    assert.ok(firstBar > 20, `the toolbar has its height at the static page's first frame (${firstBar}px)`);
    app.release();
    await waitForTakeover(page);
    const bar = page.getByRole('region', { name: '无障碍阅读工具栏' });
    await bar.waitFor();
    assert.equal(await page.locator('.gk-app > .gk-a11ybar').count(), 1, 'one toolbar once the app runs');
    const appBar = await page.locator('.gk-app > .gk-a11ybar').evaluate((el) => Math.round(el.getBoundingClientRect().height));
    assert.ok(Math.abs(appBar - firstBar) <= 1, `the app's toolbar (${appBar}px) has the static one's height (${firstBar}px)`);
    const shift = await layoutShift(page);
    assert.ok(shift <= 0.01, `Cumulative Layout Shift ${shift} with the toolbar open (at most 0.01)`);
  });

  // Everyone else: the copy takes no room, with or without JavaScript.
  for (const javaScript of [true, false]) {
    await withPage(browser, t, { javaScript }, async (session) => {
      await session.page.goto(urlFor('/'));
      const shown = await session.page.locator('[data-gongkai] > .gk-app > .gk-a11ybar').evaluateAll(
        (els) => els.filter((el) => el.getBoundingClientRect().height > 0).length);
      assert.equal(shown, 0, `no toolbar for a reader who has not opened it (JavaScript ${javaScript ? 'on' : 'off'})`);
    });
  }
});

test('stored settings (长者模式, text size, colours) apply to the static page before the app starts', async (t) => {
  const settings = { elder: 'on', zoom: 150, scheme: 'yellow-on-black' };
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await seedSettings(context, settings);
    // The app never starts: what the page shows is the boot script's work.
    await page.route('**/*.wasm', (route) => route.abort());
    // The root's attributes at the first animation frame that has it, which
    // comes before the first paint of it. (On a loaded machine the browser
    // may run a frame before the parser has reached the root: that frame
    // paints nothing of the page, so the next one is the one to check.)
    await page.addInitScript(() => {
      const atFrame = () => {
        const root = document.querySelector('[data-gongkai] > .gk-app');
        if (!root) {
          requestAnimationFrame(atFrame);
          return;
        }
        window.__gkFirstFrame = {
          elder: root.getAttribute('data-elder'),
          zoom: root.getAttribute('data-zoom'),
          scheme: root.getAttribute('data-scheme'),
          js: root.getAttribute('data-js'),
        };
      };
      requestAnimationFrame(atFrame);
    });
    session.allowConsole.push(/gongkai: the app could not start/, /Failed to load resource/, /wasm/i);
    await page.goto(urlFor('/'));
    await expectAppAttributes(page, { 'data-elder': 'on', 'data-zoom': '150', 'data-scheme': 'yellow-on-black' });
    const first = await page.evaluate(() => window.__gkFirstFrame);
    assert.deepEqual(
      first,
      { elder: 'on', zoom: '150', scheme: 'yellow-on-black', js: 'starting' },
      'the settings were on the static root at the first frame',
    );
    assert.equal(await page.locator('.gk-app').count(), 1, 'the app did not start (wasm blocked)');
  });
});

test('a reader who chose 繁體 lands on the 繁體 static page at once', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await seedSettings(context, { script: 'zh-Hant' });
    await page.goto(urlFor(`/article/${original.id}`));
    assert.equal(new URL(page.url()).search, '?lang=zh-Hant');
    await waitForTakeover(page);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  });
});
