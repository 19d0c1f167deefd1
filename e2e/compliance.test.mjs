// The statutory parts of the section (issue 17, docs/compliance.md): the
// 依申请公开 page with and without JavaScript and on paper, the footer on
// every page type, in 长者模式, on the static pages, in the iframe embed and
// in-page when the host asks for it, and the 年报's wide table at 320 px.
// axe runs on every page these tests open (a11y.test.mjs adds /apply and the
// footer to its every-mode checks).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ListPage, SitePage } from './pages.mjs';
import {
  columnOf,
  eventually,
  feed,
  launchBrowser,
  newestFirst,
  routeHandler,
  seedSettings,
  urlFor,
  withPage,
  startApp,
} from './support.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const apply = feed._gov.apply;
const footer = feed._gov.footer;
const guide = feed._gov.columns.find((c) => c.kind === 'guide');
const report = feed.items.find((i) => i._gov.report_year && i.content_html.includes('<caption>表二'));

/** The channels and limits of the 依申请公开 page, checked by role and text. */
async function expectApplyPage(page, label) {
  // A static page the app takes over has two roots for a moment.
  await page.waitForFunction(() => document.querySelectorAll('.gk-app').length === 1);
  await eventually(async () =>
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '依申请公开', `${label}: the heading`),
  );
  // The page shown: while the app starts, its copy renders hidden beside the
  // static page (src/static_render/takeover.rs), a second <main>.
  const main = page.locator('main').locator('visible=true');
  assert.equal(
    await main.getByRole('link', { name: '进入在线申请系统' }).getAttribute('href'),
    apply.online_url,
    `${label}: the online channel`,
  );
  assert.equal(
    await main.getByRole('link', { name: '下载政府信息公开申请表' }).getAttribute('href'),
    apply.form_url,
    `${label}: the 申请表`,
  );
  assert.equal(await main.getByRole('link', { name: apply.email }).getAttribute('href'), `mailto:${apply.email}`);
  const text = await main.innerText();
  for (const want of [
    apply.recipient,
    apply.address,
    apply.postcode,
    apply.hours,
    '自收到申请之日起20个工作日内予以答复',
    '延长的期限最长不超过20个工作日',
    '7个工作日内一次性告知申请人作出补正',
    '第二十七条至第三十三条',
  ]) {
    assert.ok(text.includes(want), `${label}: the page says ${want}`);
  }
}

test('apply: from the column navigation and from the 指南 column, with JavaScript', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    const list = new ListPage(session);
    await list.goto('/');
    await list.waitForList();
    await list.columnsNav().getByRole('link', { name: '依申请公开', exact: true }).click();
    await list.expectPath('/apply');
    await expectApplyPage(page, 'app /apply');
    await session.checkPage('apply');

    await list.goto(`/column/${guide.id}`);
    await list.waitForList();
    await page.getByRole('link', { name: '如何申请政府信息公开：申请渠道、申请表和办理时限' }).click();
    await list.expectPath('/apply');
    await expectApplyPage(page, 'from the 指南 column');
    // 繁體, in place.
    await page.getByRole('button', { name: '繁體' }).click();
    await new SitePage(session).expectHeading1('依申請公開');
    await session.checkPage('apply zh-Hant');
  });
});

test('apply: without JavaScript, the static page has every channel and the time limits', async (t) => {
  await withPage(browser, t, { javaScript: false }, async (session) => {
    const { page } = session;
    await page.goto(urlFor('/'));
    const nav = page.getByRole('navigation', { name: '栏目', exact: true });
    assert.equal(await nav.getByRole('link', { name: '依申请公开', exact: true }).getAttribute('href'), '/apply');
    await page.goto(urlFor('/apply'));
    assert.equal(await page.locator('[data-gongkai] > .gk-app:not([data-js])').count(), 1, 'the static page');
    await expectApplyPage(page, 'static /apply');
    assert.equal(await page.title(), `依申请公开 - ${feed._gov.department} - ${feed._gov.site_name}`);
    await page.goto(urlFor('/apply?lang=zh-Hant'));
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '依申請公開');
    await session.screenshot('apply without JavaScript');
  });
});

test('apply: prints as a clean sheet: no chrome, the link addresses written out', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    await page.goto(urlFor('/apply'));
    // The app takes the static page over at once here: wait for it, or a
    // style read from the static root as it is removed is empty (not 'none').
    await page.waitForFunction(() => document.querySelectorAll('.gk-app[data-js="on"]').length === 1 && document.querySelectorAll('.gk-app').length === 1);
    await expectApplyPage(page, 'before printing');
    await page.emulateMedia({ media: 'print' });
    const shown = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el).display !== 'none');
    for (const sel of ['.gk-topbar', '.gk-colnav-slot', '.gk-search', '.gk-crumbs', '.gk-footer']) {
      assert.equal(await shown(sel), false, `${sel} is not printed`);
    }
    assert.equal(await shown('.gk-apply'), true);
    const after = await page
      .locator('.gk-apply__action')
      .first()
      .evaluate((a) => getComputedStyle(a, '::after').content);
    assert.ok(after.includes('http'), `the online link prints its address, got ${after}`);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000, 'a PDF of the page');
  });
});

/** The footer's items, checked on the page as it is now. */
async function expectFooter(page, label) {
  await page.waitForFunction(() => document.querySelectorAll('.gk-app').length === 1);
  // The app's footer (a host page has its own).
  const foot = page.getByRole('contentinfo', { name: '网站信息' });
  await foot.getByRole('link', { name: '我为政府网站找错' }).waitFor();
  const text = await foot.innerText();
  for (const want of [
    `主办单位：${footer.sponsor}`,
    `承办单位：${footer.organizer}`,
    `网站标识码：${footer.site_code}`,
    footer.icp,
    footer.psb,
    `电话：${footer.contact.phone}`,
  ]) {
    assert.ok(text.includes(want), `${label}: the footer says ${want}`);
  }
  assert.equal(await foot.getByRole('link', { name: footer.icp }).getAttribute('href'), 'https://beian.miit.gov.cn/');
  assert.match(await foot.getByRole('link', { name: footer.psb }).getAttribute('href'), /beian\.mps\.gov\.cn.*code=62052402000123$/);
  assert.equal(
    await foot.getByRole('link', { name: '我为政府网站找错' }).getAttribute('href'),
    `https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=${footer.site_code}`,
  );
  const badge = foot.getByRole('link', { name: '党政机关网站标识' });
  assert.equal(await badge.getAttribute('href'), footer.gov_badge_url);
  // Shipped with the site, not hot-linked, and it loads.
  const img = badge.locator('img');
  const src = await img.evaluate((i) => i.currentSrc);
  assert.equal(new URL(src).origin, new URL(page.url()).origin, `${label}: the badge is served by the site`);
  await eventually(async () => assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), `${label}: the badge loads`));
}

const PAGE_TYPES = () => {
  const newest = newestFirst()[0];
  return [
    ['home', '/', '.gk-list__item'],
    ['column', `/column/${columnOf(newest).id}`, '.gk-list__item'],
    ['article', `/article/${newest.id}`, '.gk-article__body'],
    ['apply', '/apply', '.gk-apply'],
    ['search', `/search?q=${encodeURIComponent('科技')}`, '.gk-results__item'],
    ['favourites', '/favourites', 'main h1'],
    ['404', '/no/such/page', '.gk-status'],
  ];
};

test('footer: on every page type, with every configured item', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    for (const [name, path, ready] of PAGE_TYPES()) {
      await session.page.goto(urlFor(path));
      await session.page.locator(ready).first().waitFor();
      await expectFooter(session.page, name);
    }
    await session.checkPage('footer 404');
  });
});

test('footer: in 长者模式 every footer link is at least 44 × 44 px, and axe-clean', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    await seedSettings(session.context, { elder: 'on' });
    await session.page.goto(urlFor('/'));
    await session.page.locator('.gk-app[data-elder="on"] .gk-list__item').first().waitFor();
    await expectFooter(session.page, 'elder mode');
    const small = await session.page.locator('.gk-footer a').evaluateAll((links) =>
      links
        .map((a) => ({ text: a.textContent.trim() || a.querySelector('img')?.alt, r: a.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 44 - 0.5 || r.height < 44 - 0.5)
        .map(({ text, r }) => `${text}: ${r.width.toFixed(1)} × ${r.height.toFixed(1)}`),
    );
    assert.deepEqual(small, [], 'footer links under 44 × 44 px in elder mode');
    await session.checkPage('footer elder');
  });
});

test('footer: the static pages carry it and the SiteIDCode meta tag, without JavaScript', async (t) => {
  await withPage(browser, t, { javaScript: false }, async (session) => {
    for (const [name, path] of PAGE_TYPES().filter(([n]) => ['home', 'column', 'article', 'apply'].includes(n))) {
      await session.page.goto(urlFor(path));
      assert.equal(
        await session.page.locator('meta[name="SiteIDCode"]').getAttribute('content'),
        footer.site_code,
        `${name}: SiteIDCode`,
      );
      await expectFooter(session.page, `static ${name}`);
    }
  });
});

test('footer: the iframe embed shows it; in-page only when the host asks with data-footer="full"', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page, context } = session;
    await page.goto(urlFor('/examples/frame/'));
    await page.locator('.gk-list__item').first().waitFor();
    await expectFooter(page, 'iframe embed page');

    await page.goto(urlFor('/examples/inpage/'));
    await page.locator('.gk-list__item').first().waitFor();
    const brief = page.locator('.gk-footer');
    assert.equal(await brief.locator('.gk-footer__badge').count(), 0, 'in-page: no full footer unasked');
    assert.ok((await brief.innerText()).includes('主办'), 'in-page: the one line');

    await context.route('**/examples/inpage/**', routeHandler(async (route) => {
      if (route.request().resourceType() !== 'document') return route.fallback();
      const response = await route.fetch();
      const body = (await response.text()).replace('data-gongkai', 'data-gongkai data-footer="full"');
      return route.fulfill({ response, body });
    }));
    await page.goto(urlFor('/examples/inpage/'));
    await page.locator('.gk-list__item').first().waitFor();
    await expectFooter(page, 'in-page with data-footer="full"');
    await session.checkPage('in-page full footer');
  });
});

test('footer and 年报: the wide table scrolls in its own box at 320 px, a data table with caption and scopes', async (t) => {
  await withPage(browser, t, { viewport: { width: 320, height: 640 } }, async (session) => {
    const { page } = session;
    await page.goto(urlFor(`/article/${report.id}`));
    await startApp(page);
    // The static page the app takes over has two roots for a moment.
    await page.waitForFunction(() => document.querySelectorAll('.gk-app[data-js="on"]').length === 1 && document.querySelectorAll('.gk-app').length === 1);
    const table = page.getByRole('region', { name: '表二 收到和处理政府信息公开申请情况' });
    await table.waitFor();
    const box = await table.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, tab: el.tabIndex }));
    assert.ok(box.scroll > box.client, `the table is wider than its box (${box.scroll} > ${box.client})`);
    assert.equal(box.tab, 0, 'the box takes keyboard focus, to scroll it');
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 320, `the page stays 320 px wide, is ${pageWidth}`);
    const t2 = table.getByRole('table');
    assert.equal(await t2.locator('caption').innerText(), '表二 收到和处理政府信息公开申请情况');
    assert.equal(await t2.getByRole('columnheader', { name: '社会公益组织' }).count(), 1);
    assert.equal(await t2.getByRole('rowheader', { name: '1.属于国家秘密' }).count(), 1);
    assert.equal(await page.locator('.gk-article__body th:not([scope])').count(), 0, 'every th has a scope');
    await table.focus();
    await page.keyboard.press('ArrowRight');
    await eventually(async () => assert.ok((await table.evaluate((el) => el.scrollLeft)) > 0, 'the arrow keys scroll the table'));
    await session.checkPage('年报 320');
  });
});
