// Page objects: what a reader sees, found by role and accessible name.

import assert from 'node:assert/strict';
import { appPath, eventually, normalize, startApp, urlFor } from './support.mjs';

/** What every page of the site has: top bar, masthead, breadcrumbs, main. */
export class SitePage {
  constructor(session) {
    this.session = session;
    this.page = session.page;
  }

  /**
   * Opens `path` and, with JavaScript on, waits until the app runs: most
   * routes first show their static page (docs/static-pages.md), whose
   * controls wait for the app, and journeys are about the app.
   */
  async goto(path) {
    await this.page.goto(urlFor(path));
    if (this.session.javaScript !== false) await this.waitForApp();
    return this;
  }

  /**
   * Waits until the app's own root is shown (it has taken over any static
   * page); on a list or article page, which starts it on demand, the
   * reader first uses the search box (`startApp`).
   */
  async waitForApp() {
    await startApp(this.page);
    await this.page.locator('[data-gongkai] .gk-app[data-js="on"]').waitFor({ state: 'visible' });
  }

  /** The current path and query, e.g. `/column/guide?page=2`. */
  path() {
    return appPath(this.page.url());
  }

  main() {
    return this.page.getByRole('main');
  }

  heading1() {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** Waits until the level-1 heading reads `text`. */
  async expectHeading1(text) {
    await eventually(async () => {
      const headings = (await this.heading1().allInnerTexts()).map(normalize);
      assert.ok(headings.includes(text), `expected a level-1 heading "${text}", saw ${JSON.stringify(headings)}`);
    });
  }

  /** Waits until the URL's path and query match `expected`: a string, a RegExp or a predicate. */
  async expectPath(expected) {
    await eventually(async () => {
      const path = this.path();
      const ok =
        typeof expected === 'string'
          ? path === expected
          : expected instanceof RegExp
            ? expected.test(path)
            : expected(path);
      assert.ok(ok, `expected the URL path ${expected}, saw ${path}`);
    });
  }

  topBarButton(name) {
    return this.page.getByRole('button', { name, exact: true });
  }

  link(name) {
    return this.page.getByRole('link', { name, exact: true });
  }

  columnsNav() {
    return this.page.getByRole('navigation', { name: '栏目', exact: true });
  }

  columnLink(name) {
    return this.columnsNav().getByRole('link', { name, exact: true });
  }

  breadcrumb() {
    return this.page.getByRole('navigation', { name: '当前位置', exact: true });
  }

  /** Waits until the breadcrumb shows `parts` in this order. */
  async expectBreadcrumb(parts) {
    await eventually(async () => {
      const text = normalize(await this.breadcrumb().innerText());
      let from = 0;
      for (const part of parts) {
        const at = text.indexOf(part, from);
        assert.ok(at >= 0, `expected the breadcrumb (navigation "当前位置") to show ${parts.join(' > ')}, saw "${text}"`);
        from = at + part.length;
      }
    });
  }

  alert() {
    return this.page.getByRole('alert');
  }
}

/** The home page and column pages: a paginated list of notices. */
export class ListPage extends SitePage {
  /** One row per notice: a list item (or table row) in main that links to an article. */
  rows() {
    const main = this.main();
    return main
      .getByRole('listitem')
      .or(main.getByRole('row'))
      .filter({ has: this.page.locator('a[href*="article/"]') });
  }

  /** Titles of the notices shown, in order. */
  async titles() {
    const links = this.rows().locator('a[href*="article/"]');
    return (await links.allInnerTexts()).map(normalize);
  }

  /** Waits until the list shows at least one notice. */
  async waitForList() {
    await this.rows().first().waitFor({ state: 'visible' });
    return this;
  }

  /** Waits until `check(titles)` holds for the titles shown (lists are replaced asynchronously). */
  async expectTitles(check) {
    await eventually(async () => check(await this.titles()));
  }

  /** The row whose title link reads `title`. */
  row(title) {
    return this.rows().filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  pagination() {
    return this.page.getByRole('navigation', { name: '分页', exact: true });
  }

  nextPage() {
    return this.pagination().getByRole('link', { name: '下一页', exact: true });
  }

  previousPage() {
    return this.pagination().getByRole('link', { name: '上一页', exact: true });
  }

  pageLink(n) {
    return this.pagination().getByRole('link', { name: `第 ${n} 页`, exact: true });
  }

  noticeLink(title) {
    return this.main().getByRole('link', { name: title, exact: true });
  }
}

/** An article page. */
export class ArticlePage extends SitePage {
  /**
   * The metadata block as label → value: each <dt> in main's <dl> with the
   * <dd> that follows it (directly or within the same group).
   */
  async metadata() {
    return this.main().evaluate((main) => {
      const pairs = {};
      for (const dt of main.querySelectorAll('dl dt')) {
        let dd = dt.nextElementSibling;
        while (dd && dd.tagName !== 'DD') dd = dd.tagName === 'DT' ? null : dd.nextElementSibling;
        const label = dt.innerText.replace(/[:：\s]+$/u, '').trim();
        pairs[label] = dd ? dd.innerText.replace(/\s+/g, ' ').trim() : null;
      }
      return pairs;
    });
  }

  /** The labels of the metadata block, in order. */
  async metadataLabels() {
    return Object.keys(await this.metadata());
  }

  async mainText() {
    return normalize(await this.main().innerText());
  }

  attachmentsHeading() {
    return this.main().getByRole('heading', { name: '附件', exact: true });
  }

  /** The list item of the attachment link named `title`. */
  attachment(title) {
    return this.main()
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  /** A prominent notice (note, status or alert) that contains `text`. */
  statusNotice(text) {
    const main = this.main();
    return main.getByRole('note').or(main.getByRole('status')).or(main.getByRole('alert')).filter({ hasText: text });
  }

  neighbours() {
    return this.page.getByRole('navigation', { name: '相邻文章', exact: true });
  }
}

/** The error page shown when a bundle file fails to load. */
export class ErrorPanel {
  constructor(session) {
    this.page = session.page;
    // The first alert that carries the 加载失败 heading (a page may show more than one).
    this.alert = this.page
      .getByRole('alert')
      .filter({ has: this.page.getByRole('heading', { name: '加载失败' }) })
      .first();
  }

  heading() {
    return this.alert.getByRole('heading', { name: '加载失败' });
  }

  retry() {
    return this.alert.getByRole('button', { name: '重试', exact: true });
  }

  /** Waits for the alert and returns its text. */
  async text() {
    await this.heading().waitFor({ state: 'visible' });
    return normalize(await this.alert.innerText());
  }
}

// ---------------------------------------------------------------------------
// Reading for everyone (issue 4): the top bar's 长者模式 / 无障碍阅读, the
// toolbar, and the article's 字体 group.

/** The top bar buttons of issue 4, on any SitePage. */
export class ReadingControls {
  constructor(session) {
    this.session = session;
    this.page = session.page;
  }

  /** 长者模式 (aria-pressed). */
  elderMode() {
    return this.page.getByRole('button', { name: '长者模式', exact: true });
  }

  /** 无障碍阅读 (aria-expanded), which opens the toolbar. */
  accessibility() {
    return this.page.getByRole('button', { name: '无障碍阅读', exact: true });
  }

  /** The toolbar region, named 无障碍阅读工具栏. */
  toolbar() {
    return this.page.getByRole('region', { name: '无障碍阅读工具栏', exact: true });
  }

  /** A toolbar button by its visible name: 放大, 缩小, 重置, 黑底黄字, 指读, 连读, 停止, 帮助 … */
  button(name) {
    return this.toolbar().getByRole('button', { name, exact: true });
  }

  /** A group of the toolbar: 文字大小, 配色, 辅助, 声音, 视图. */
  group(name) {
    return this.toolbar().getByRole('group', { name, exact: true });
  }

  /** The toolbar's zoom status, e.g. 文字 150%. */
  zoomStatus() {
    return this.page.locator('.gk-a11ybar__zoom');
  }

  /** The toolbar's message line (role=status). */
  message() {
    return this.page.locator('.gk-a11ybar__message');
  }

  speechRate() {
    return this.toolbar().getByRole('combobox', { name: /语速/ });
  }

  shortcutsCheckbox() {
    return this.toolbar().getByRole('checkbox', { name: '启用快捷键', exact: true });
  }

  /** The article's 字体 group and its buttons 大 / 中 / 小. */
  fontGroup() {
    return this.page.getByRole('group', { name: '字体', exact: true });
  }

  fontButton(name) {
    return this.fontGroup().getByRole('button', { name, exact: true });
  }

  /** Opens the toolbar with the 无障碍阅读 button unless it is open already. */
  async openToolbar() {
    await this.accessibility().waitFor({ state: 'visible' });
    if ((await this.accessibility().getAttribute('aria-expanded')) !== 'true') {
      await this.accessibility().click();
    }
    await this.toolbar().waitFor({ state: 'visible' });
  }

  /** Waits until `locator` has `aria-<attr>="<value>"`. */
  async expectAria(locator, attr, value, what) {
    await eventually(async () => {
      const actual = await locator.getAttribute(`aria-${attr}`);
      assert.equal(actual, value, `expected ${what} to have aria-${attr}="${value}", saw ${JSON.stringify(actual)}`);
    });
  }
}
