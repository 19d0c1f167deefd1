// Reading for everyone (issue 4): every page type in every display mode has
// no axe violations and enough contrast; elder mode meets the numbers of
// 互联网网站适老化通用设计规范; the largest text step reflows at 320 px; and the
// helpers (大鼠标, 十字线, 大字幕, 纯文本) do what they say.
//
// Modes are set as a returning reader has them (settings seeded in
// localStorage before the first load), except in the UI journey, which sets
// them with the top bar and the toolbar.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ArticlePage, ListPage, ReadingControls, SitePage } from './pages.mjs';
import {
  ORIGINAL,
  columnOf,
  contrastRatio,
  eventually,
  expectAppAttributes,
  expectedAttributes,
  itemTitled,
  launchBrowser,
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

const original = itemTitled(ORIGINAL.title);

/** One of each page type. */
const PAGES = [
  {
    name: 'home',
    path: '/',
    ready: async (session) => new ListPage(session).waitForList(),
  },
  {
    name: 'column',
    path: `/column/${columnOf(original).id}`,
    ready: async (session) => new ListPage(session).waitForList(),
  },
  {
    name: 'article',
    path: `/article/${original.id}`,
    ready: async (session) => new ArticlePage(session).expectHeading1(ORIGINAL.title),
  },
  {
    name: '404',
    path: '/no/such/page',
    ready: async (session) => new SitePage(session).expectHeading1('页面不存在'),
  },
  {
    name: 'apply',
    path: '/apply',
    ready: async (session) => new SitePage(session).expectHeading1('依申请公开'),
  },
  {
    name: 'search results',
    path: `/search?q=${encodeURIComponent('科技特派员')}&scope=full&match=exact&sort=relevance`,
    ready: async (session) => {
      await new SitePage(session).expectHeading1('搜索结果');
      await session.page.locator('.gk-results__item').first().waitFor();
    },
  },
  {
    name: 'favourites',
    path: '/favourites',
    ready: async (session) => {
      await new SitePage(session).expectHeading1('我的收藏');
      await session.page.locator('.gk-favs__item').first().waitFor();
    },
    // A favourite, stored as the app stores it, so the page has a row.
    storage: {
      'gongkai.favourites': JSON.stringify({
        v: 1,
        items: [original].map((item) => ({
          id: item.id,
          title: item.title,
          date: item.date_published,
          column: item._gov.category,
          column_name: columnOf(item).name,
          added_at: 1700000000000,
        })),
      }),
    },
  },
];

/** Display modes: the stored settings and the text contrast each must reach. */
const MODES = [
  { name: 'default', settings: {}, contrast: 4.5 },
  { name: 'elder', settings: { elder: 'on', toolbar: 'open' }, contrast: 4.5 },
  { name: 'yellow-on-black', label: '黑底黄字', settings: { scheme: 'yellow-on-black', toolbar: 'open' }, contrast: 7 },
  { name: 'white-on-black', label: '黑底白字', settings: { scheme: 'white-on-black', toolbar: 'open' }, contrast: 7 },
  { name: 'black-on-white', label: '白底黑字', settings: { scheme: 'black-on-white', toolbar: 'open' }, contrast: 7 },
  { name: 'white-on-blue', label: '蓝底白字', settings: { scheme: 'white-on-blue', toolbar: 'open' }, contrast: 7 },
  { name: 'zoom 200', settings: { zoom: 200, toolbar: 'open' }, contrast: 4.5 },
];

/** Opens `path`, waits for it, and checks that the stored settings were applied. */
async function open(session, pageType, settings, why) {
  if (pageType.storage) {
    await session.page.addInitScript((entries) => {
      for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v);
    }, pageType.storage);
  }
  await session.page.goto(urlFor(pageType.path));
  // The app, not the static page it takes over: the static page shows the
  // same heading and attributes, but the reading aids need the app.
  await new SitePage(session).waitForApp();
  await pageType.ready(session);
  await expectAppAttributes(session.page, expectedAttributes(settings), why);
  if (settings.toolbar === 'open') {
    await new ReadingControls(session).toolbar().waitFor({ state: 'visible' });
  }
}

// ---------------------------------------------------------------------------
// Contrast, measured in the page: every visible element with its own text in
// the top bar, toolbar, masthead, column navigation and main, its colour
// against the background actually behind it (ancestors' backgrounds
// composited until an opaque one).

async function lowContrastTexts(page, minimum) {
  const found = await page.evaluate(() => {
    const parse = (s) => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
    };
    const backgroundOf = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const cs = getComputedStyle(e);
        if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;
        const c = parse(cs.backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let bg = [255, 255, 255, 1];
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
      return bg;
    };
    const scope = document.querySelectorAll('.gk-topbar, .gk-a11ybar, .gk-notice, .gk-masthead, .gk-colnav-slot, .gk-main, .gk-footer');
    const out = [];
    for (const root of scope) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const r = el.getBoundingClientRect();
        const cs = getComputedStyle(el);
        if (r.width === 0 || r.height === 0 || cs.visibility !== 'visible' || el.closest('[aria-hidden="true"]')) continue;
        const bg = backgroundOf(el);
        const fg = parse(cs.color);
        if (!bg || !fg) continue;
        out.push({
          text: el.textContent.trim().slice(0, 30),
          where: `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}`,
          fg: over(fg, bg).slice(0, 3),
          bg: bg.slice(0, 3),
        });
      }
    }
    return out;
  });
  return found
    .map((f) => ({ ...f, ratio: contrastRatio(f.fg, f.bg) }))
    .filter((f) => f.ratio < minimum - 0.005)
    .map((f) => `"${f.text}" (${f.where}) rgb(${f.fg.map(Math.round)}) on rgb(${f.bg.map(Math.round)}) = ${f.ratio.toFixed(2)}:1`);
}

for (const mode of MODES) {
  test(`a11y: ${mode.name} mode: home, column, article, 404, search results and 我的收藏 have no axe violations and text contrast ≥ ${mode.contrast}:1`, async (t) => {
    await withPage(browser, t, {}, async (session) => {
      await seedSettings(session.context, mode.settings);
      for (const pageType of PAGES) {
        await open(session, pageType, mode.settings, `with stored settings ${JSON.stringify(mode.settings)} on ${pageType.path}`);
        const low = await lowContrastTexts(session.page, mode.contrast);
        assert.deepEqual(
          low,
          [],
          `${pageType.name} in ${mode.name} mode: ${low.length} text(s) below ${mode.contrast}:1 contrast:\n  ${low.join('\n  ')}`,
        );
        await session.checkPage(`${pageType.name} ${mode.name}`);
      }
    });
  });
}

test('a11y: UI journey: 长者模式, then 无障碍阅读 → 黑底黄字, then 放大 ×4 to 200 %: each step axe-clean', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const article = new ArticlePage(session);
    const controls = new ReadingControls(session);
    await article.goto(`/article/${original.id}`);
    await article.expectHeading1(ORIGINAL.title);
    await expectAppAttributes(session.page, expectedAttributes({}), 'on a first visit (nothing stored)');
    await session.checkPage('article default');

    await controls.elderMode().click();
    await controls.expectAria(controls.elderMode(), 'pressed', 'true', 'the 长者模式 button after clicking it');
    await expectAppAttributes(session.page, { 'data-elder': 'on' }, 'after clicking 长者模式');
    await session.checkPage('article elder');

    await controls.accessibility().click();
    await controls.expectAria(controls.accessibility(), 'expanded', 'true', 'the 无障碍阅读 button after clicking it');
    await controls.toolbar().waitFor({ state: 'visible' });
    await session.checkPage('article elder toolbar open');

    await controls.button('黑底黄字').click();
    await controls.expectAria(controls.button('黑底黄字'), 'pressed', 'true', 'the 黑底黄字 scheme button after clicking it');
    await expectAppAttributes(session.page, { 'data-scheme': 'yellow-on-black', 'data-elder': 'on' }, 'after clicking 黑底黄字');
    const low = await lowContrastTexts(session.page, 7);
    assert.deepEqual(low, [], `article in 黑底黄字 + elder: texts below 7:1:\n  ${low.join('\n  ')}`);
    await session.checkPage('article elder yellow-on-black');

    for (const step of [125, 150, 175, 200]) {
      await controls.button('放大').click();
      await expectAppAttributes(session.page, { 'data-zoom': String(step) }, `after pressing 放大 to reach ${step} %`);
    }
    await eventually(async () => {
      const status = normalize(await controls.zoomStatus().innerText());
      assert.ok(status.includes('200%') || status.includes('200 %'), `expected the zoom status to read 200%, saw "${status}"`);
    });
    await session.checkPage('article elder yellow-on-black 200%');
  });
});

// ---------------------------------------------------------------------------
// Elder mode, measured.

/** Main controls: at least 60 × 60 px in elder mode. */
const MAIN_CONTROLS = [
  '.gk-topbar__button',
  '.gk-topbar__link',
  '.gk-colnav__link',
  '.gk-pager__link',
  '.gk-button',
  '.gk-a11ybar__button',
  '.gk-fontsize__button',
];
/** Every other target: at least 44 × 44 px in elder mode. */
const OTHER_TARGETS = [
  '.gk-list__title',
  '.gk-crumbs__link',
  '.gk-neighbours__link',
  '.gk-attachments__link',
  '.gk-skip',
  '.gk-status__link',
  '.gk-masthead__site',
  '.gk-a11ybar__select',
  '.gk-search__input',
  '.gk-search__select',
  '.gk-filters__select',
  '.gk-filters__date',
  '.gk-results__link',
  '.gk-favlink',
  '.gk-favs__link',
  '.gk-favs__select',
  '.gk-footer__link',
  '.gk-footer__report',
  '.gk-footer__badge',
  '.gk-apply__action',
  '.gk-apply__value a',
  '.gk-listing__apply-link',
];
/** Body text: at least 20 px. */
const BODY_TEXT = ['.gk-list__title', '.gk-article__body p', '.gk-results__link', '.gk-results__snippet', '.gk-favs__link'];
/** Controls each page type must show in elder mode (so a size check cannot pass vacuously). */
const REQUIRED = {
  home: ['.gk-topbar__button', '.gk-colnav__link', '.gk-pager__link', '.gk-a11ybar__button', '.gk-list__title', '.gk-footer__link', '.gk-footer__report', '.gk-footer__badge'],
  apply: ['.gk-topbar__button', '.gk-colnav__link', '.gk-a11ybar__button', '.gk-apply__action', '.gk-apply__value a', '.gk-footer__link'],
  column: ['.gk-topbar__button', '.gk-colnav__link', '.gk-a11ybar__button', '.gk-list__title'],
  article: ['.gk-topbar__button', '.gk-colnav__link', '.gk-a11ybar__button', '.gk-fontsize__button', '.gk-article__body p'],
  404: ['.gk-topbar__button', '.gk-colnav__link', '.gk-a11ybar__button', '.gk-status__link'],
  'search results': ['.gk-topbar__button', '.gk-a11ybar__button', '.gk-search__input', '.gk-search__select', '.gk-results__link', '.gk-results__snippet'],
  favourites: ['.gk-topbar__button', '.gk-a11ybar__button', '.gk-favs__link', '.gk-favs__select'],
};

async function elderProblems(page, required) {
  return page.evaluate(
    ({ MAIN_CONTROLS, OTHER_TARGETS, BODY_TEXT, required }) => {
      const problems = [];
      const name = (el) =>
        `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''} "${el.textContent.trim().slice(0, 20)}"`;
      const shown = (el) => {
        const cs = getComputedStyle(el);
        const r = el.getBoundingClientRect();
        return cs.display !== 'none' && cs.visibility === 'visible' && r.width > 0 && r.height > 0;
      };
      const app = document.querySelector('.gk-app');
      for (const sel of required) {
        if (![...app.querySelectorAll(sel)].some(shown)) problems.push(`no visible ${sel} on this page`);
      }
      for (const el of app.querySelectorAll('*')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own || !shown(el) || el.closest('[aria-hidden="true"], .gk-skip')) continue;
        const cs = getComputedStyle(el);
        const size = parseFloat(cs.fontSize);
        if (size < 18 - 0.01) problems.push(`font-size ${cs.fontSize} < 18px: ${name(el)}`);
        if (cs.lineHeight === 'normal') problems.push(`line-height normal (not ≥ 1.5): ${name(el)}`);
        else if (parseFloat(cs.lineHeight) < 1.5 * size - 0.5)
          problems.push(`line-height ${cs.lineHeight} < 1.5 × ${cs.fontSize}: ${name(el)}`);
      }
      for (const sel of BODY_TEXT) {
        for (const el of app.querySelectorAll(sel)) {
          if (!shown(el)) continue;
          const size = parseFloat(getComputedStyle(el).fontSize);
          if (size < 20 - 0.01) problems.push(`body text ${size}px < 20px: ${sel} ${name(el)}`);
        }
      }
      const paragraphs = [...app.querySelectorAll('.gk-article__body p')].filter(shown);
      for (const p of paragraphs.slice(0, -1)) {
        const cs = getComputedStyle(p);
        const gap = parseFloat(cs.marginBottom);
        const lh = parseFloat(cs.lineHeight);
        if (!(gap >= 1.3 * lh - 0.5)) problems.push(`paragraph spacing ${cs.marginBottom} < 1.3 × line-height ${cs.lineHeight}: ${name(p)}`);
      }
      const sized = (selectors, min) => {
        for (const sel of selectors) {
          for (const el of app.querySelectorAll(sel)) {
            const cs = getComputedStyle(el);
            if (cs.display === 'none' || cs.visibility !== 'visible') continue;
            const r = el.getBoundingClientRect();
            if (r.width < min - 0.5 || r.height < min - 0.5)
              problems.push(`${sel} is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px, below ${min}×${min}: ${name(el)}`);
          }
        }
      };
      sized(MAIN_CONTROLS, 60);
      sized(OTHER_TARGETS, 44);
      for (const el of app.querySelectorAll('*')) {
        const cs = getComputedStyle(el);
        if (cs.animationName !== 'none' && cs.animationDuration !== '0s')
          problems.push(`animation ${cs.animationName} on ${name(el)}`);
        if (cs.transitionDuration.split(',').some((d) => parseFloat(d) > 0))
          problems.push(`transition ${cs.transitionProperty} ${cs.transitionDuration} on ${name(el)}`);
      }
      return problems;
    },
    { MAIN_CONTROLS, OTHER_TARGETS, BODY_TEXT, required },
  );
}

/** Elements fixed or sticky that overlap main, at the top of the page and scrolled half-way. */
async function floatingOverMain(page) {
  const found = [];
  for (const fraction of [0, 0.5]) {
    found.push(
      ...(await page.evaluate((fraction) => {
        window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * fraction);
        const main = document.querySelector('main').getBoundingClientRect();
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const cs = getComputedStyle(el);
          if (cs.position !== 'fixed' && cs.position !== 'sticky') continue;
          const r = el.getBoundingClientRect();
          if (cs.display === 'none' || cs.visibility !== 'visible' || r.width === 0 || r.height === 0) continue;
          const overlaps = r.left < main.right && r.right > main.left && r.top < main.bottom && r.bottom > main.top;
          const inView = r.bottom > 0 && r.top < innerHeight;
          if (overlaps && inView) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${cs.position}) at scroll ${Math.round(scrollY)}`);
        }
        return out;
      }, fraction)),
    );
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return found;
}

for (const pageType of PAGES) {
  test(`a11y: elder mode on the ${pageType.name} page: text ≥ 18 px (body ≥ 20), line height ≥ 1.5, paragraph spacing ≥ 1.3 × line height, controls ≥ 60 px, targets ≥ 44 px, nothing floating`, async (t) => {
    const settings = { elder: 'on', toolbar: 'open' };
    await withPage(browser, t, {}, async (session) => {
      await seedSettings(session.context, settings);
      await open(session, pageType, settings, 'with elder mode stored');
      const problems = await elderProblems(session.page, REQUIRED[pageType.name]);
      assert.deepEqual(problems, [], `${pageType.name} in elder mode:\n  ${problems.join('\n  ')}`);
      const floating = await floatingOverMain(session.page);
      assert.deepEqual(floating, [], `${pageType.name} in elder mode: fixed/sticky elements over main:\n  ${floating.join('\n  ')}`);

      if (pageType.name === 'article') {
        // 小 must not take the body under 20 px in elder mode, and 大 must grow it.
        const controls = new ReadingControls(session);
        const size = () => session.page.locator('.gk-article__body p').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
        const medium = await size();
        await controls.fontButton('小').click();
        await expectAppAttributes(session.page, { 'data-font': 'small' }, 'after 字体 小');
        assert.ok((await size()) >= 20, `字体 小 in elder mode: body text ${await size()}px, expected ≥ 20px`);
        await controls.fontButton('大').click();
        await expectAppAttributes(session.page, { 'data-font': 'large' }, 'after 字体 大');
        assert.ok((await size()) > medium, `字体 大 in elder mode: body text ${await size()}px, expected more than 中 (${medium}px)`);
      }
    });
  });
}

// ---------------------------------------------------------------------------
// The largest text step at 320 CSS px.

const NARROW = { width: 320, height: 640 };

for (const settings of [{ zoom: 200, toolbar: 'open' }, { zoom: 200, elder: 'on', toolbar: 'open' }]) {
  const label = settings.elder === 'on' ? 'zoom 200 % + elder mode' : 'zoom 200 %';
  test(`a11y: ${label} at 320 px: no horizontal scrolling on any page type`, async (t) => {
    await withPage(browser, t, { viewport: NARROW }, async (session) => {
      await seedSettings(session.context, settings);
      for (const pageType of PAGES) {
        await open(session, pageType, settings, `at 320 px with ${JSON.stringify(settings)} stored`);
        const { scrollWidth, offenders } = await session.page.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && getComputedStyle(el).position !== 'fixed')
            .slice(0, 6)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
          return { scrollWidth: document.documentElement.scrollWidth, offenders: wide };
        });
        assert.ok(
          scrollWidth <= NARROW.width,
          `${pageType.name} at 320 px, ${label}: the page is ${scrollWidth} px wide; past the edge: ${offenders.join(', ') || '(none found)'}`,
        );
        const fontSize = await session.page.locator('.gk-main').evaluate((m) => parseFloat(getComputedStyle(m).fontSize));
        assert.ok(fontSize >= 32, `${pageType.name}, ${label}: main text is ${fontSize}px, expected ≥ 32px (2 × 16)`);
      }
      await session.screenshot(`article 320px ${label}`);
    });
  });
}

// ---------------------------------------------------------------------------
// 大鼠标, 十字线, 大字幕, 纯文本.

test('a11y: 大鼠标: a large cursor image on text and a pointer variant on links, served by the site', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const settings = { cursor: 'on' };
    await seedSettings(session.context, settings);
    await open(session, PAGES[2], settings, 'with 大鼠标 stored');
    const cursors = await session.page.evaluate(() => ({
      text: getComputedStyle(document.querySelector('.gk-article__body p')).cursor,
      link: getComputedStyle(document.querySelector('.gk-crumbs__link')).cursor,
      button: getComputedStyle(document.querySelector('.gk-topbar__button')).cursor,
    }));
    assert.match(cursors.text, /url\(.*cursor-large\.svg.*\)/, `body text cursor: ${cursors.text}`);
    assert.match(cursors.link, /url\(.*cursor-large-pointer\.svg.*\)/, `link cursor: ${cursors.link}`);
    assert.match(cursors.button, /url\(.*cursor-large-pointer\.svg.*\)/, `button cursor: ${cursors.button}`);
    for (const file of ['cursor-large.svg', 'cursor-large-pointer.svg']) {
      const response = await session.page.request.get(urlFor(`/${file}`));
      assert.equal(response.status(), 200, `GET /${file} (copy public/${file} into dist/)`);
    }
  });
});

test('a11y: 十字线: fixed lines that ignore the pointer and follow it', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const settings = { guide: 'on' };
    await seedSettings(session.context, settings);
    await open(session, PAGES[2], settings, 'with 十字线 stored');
    const guide = session.page.locator('.gk-guide');
    await guide.waitFor({ state: 'attached' });
    await eventually(async () => {
      // Moved on each try: a move the page had no time to handle is made again.
      await session.page.mouse.move(400, 300);
      await session.page.mouse.move(420, 320);
      const s = await guide.evaluate((g) => ({
        position: getComputedStyle(g).position,
        events: getComputedStyle(g).pointerEvents,
        hidden: g.getAttribute('aria-hidden'),
        h: g.querySelector('.gk-guide__h')?.getBoundingClientRect().toJSON(),
        v: g.querySelector('.gk-guide__v')?.getBoundingClientRect().toJSON(),
      }));
      assert.equal(s.position, 'fixed', '.gk-guide position');
      assert.equal(s.events, 'none', '.gk-guide pointer-events');
      assert.equal(s.hidden, 'true', '.gk-guide aria-hidden');
      assert.ok(s.h && Math.abs(s.h.top + s.h.height / 2 - 320) <= 3, `horizontal line should cross y=320, is at ${JSON.stringify(s.h)}`);
      assert.ok(s.v && Math.abs(s.v.left + s.v.width / 2 - 420) <= 3, `vertical line should cross x=420, is at ${JSON.stringify(s.v)}`);
    });
    // The guide must not catch clicks: a click through it still follows a link.
    await session.page.locator('.gk-crumbs__link').first().click();
    await new SitePage(session).expectPath('/');
  });
});

test('a11y: 大字幕: the hovered paragraph in ≥ 32 px at the bottom, and the page keeps room for it', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const settings = { captions: 'on' };
    await seedSettings(session.context, settings);
    await open(session, PAGES[2], settings, 'with 大字幕 stored');
    const paragraph = session.page.locator('.gk-article__body p').nth(1);
    await paragraph.hover();
    const expected = normalize(await paragraph.innerText());
    const captions = session.page.locator('.gk-captions');
    await eventually(async () => {
      const text = normalize(await captions.locator('.gk-captions__text').textContent());
      assert.equal(text, expected, 'the caption bar should show the hovered paragraph');
    });
    const s = await captions.evaluate((c) => {
      const p = c.querySelector('.gk-captions__text');
      const app = document.querySelector('.gk-app');
      return {
        position: getComputedStyle(c).position,
        bottom: Math.round(innerHeight - c.getBoundingClientRect().bottom),
        height: c.getBoundingClientRect().height,
        fontSize: parseFloat(getComputedStyle(p).fontSize),
        lines: p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight),
        padding: parseFloat(getComputedStyle(app).paddingBottom),
      };
    });
    assert.equal(s.position, 'fixed', '.gk-captions position');
    assert.equal(s.bottom, 0, '.gk-captions should sit at the bottom of the viewport');
    assert.ok(s.fontSize >= 32, `caption text ${s.fontSize}px, expected ≥ 32px`);
    assert.ok(s.lines <= 3.05, `caption text shows ${s.lines.toFixed(2)} lines, expected at most 3`);
    assert.ok(s.padding >= s.height - 1, `the page keeps ${s.padding}px at the bottom, the caption bar is ${s.height}px tall`);
    await session.screenshot('article captions');
  });
});

test('a11y: 纯文本: no images, no coloured bands, one column, still axe-clean', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const settings = { textonly: 'on' };
    await seedSettings(session.context, settings);
    for (const pageType of [PAGES[0], PAGES[2]]) {
      await open(session, pageType, settings, 'with 纯文本 stored');
      const s = await session.page.evaluate(() => {
        const app = document.querySelector('.gk-app');
        const bg = getComputedStyle(app).backgroundColor;
        const banded = [...app.querySelectorAll('*')]
          .filter((el) => {
            const c = getComputedStyle(el).backgroundColor;
            return c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent' && c !== bg && !el.matches('[aria-pressed="true"], [aria-current="page"], .gk-skip');
          })
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${getComputedStyle(el).backgroundColor}`);
        const images = [...app.querySelectorAll('img')].filter((i) => i.getBoundingClientRect().width > 0).length;
        const rows = [...app.querySelectorAll('.gk-list__item')].slice(0, 3).map((li) => getComputedStyle(li).flexDirection);
        return { banded, images, rows };
      });
      assert.deepEqual(s.banded, [], `${pageType.name} in 纯文本: elements with their own background colour`);
      assert.equal(s.images, 0, `${pageType.name} in 纯文本: visible images`);
      for (const d of s.rows) assert.equal(d, 'column', `${pageType.name} in 纯文本: list rows should stack`);
      await session.checkPage(`${pageType.name} text-only`);
    }
  });
});
