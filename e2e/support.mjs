// Shared harness for the end-to-end tests: the browser, a page that records
// every console error, uncaught exception and CSP violation, the axe check,
// screenshots, and facts about the sample feed the site was built from.
//
// Every test gets its own browser context through `withPage`, which fails the
// test if the browser reported anything that the test did not expect.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Where the site is served (scripts/e2e sets it to nginx on a free port). */
export const BASE_URL = process.env.GONGKAI_URL ?? 'http://127.0.0.1:8080/';

/** The absolute URL of an app path such as `/article/x` or `/?page=2`. */
export function urlFor(path) {
  return new URL(path.replace(/^\//, ''), BASE_URL).href;
}

/** The path and query of a page URL, relative to BASE_URL: `/column/x?page=2`. */
export function appPath(url) {
  const u = new URL(url);
  const base = new URL(BASE_URL);
  return '/' + (u.pathname + u.search).slice(base.pathname.length);
}

const ARTIFACTS = new URL('./artifacts/', import.meta.url);
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** WCAG 2.2 AA, as the conventions require for every page. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The browser's own message for a failed fetch; expected only where a test breaks the bundle. */
export const RESOURCE_ERROR = (status) =>
  new RegExp(`Failed to load resource: the server responded with a status of ${status}`);

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// ---------------------------------------------------------------------------
// The sample feed (content/feed.json, or GONGKAI_FEED when the site was built
// from another feed), read here so tests never hard-code what the feed says.

const FEED_FILE = process.env.GONGKAI_FEED ?? fileURLToPath(new URL('../content/feed.json', import.meta.url));
export const feed = JSON.parse(readFileSync(FEED_FILE, 'utf8'));

/** Site facts from the issue and the original page. */
export const SITE = {
  name: '甘肃政务服务网-武山',
  department: '科技局',
  section: '政府信息公开',
  titleSuffix: ' - 科技局 - 甘肃政务服务网-武山',
};

/** The original notice of ../shared/seed. */
export const ORIGINAL = {
  title: '武山县科学技术局:扎实开展文明单位创建工作',
  indexNo: 'kjj1/2023-00026',
};

/** Columns as `{ id, name }`, in feed order. */
export const columns = (feed._gov?.columns ?? []).map((c) =>
  typeof c === 'string' ? { id: c, name: c } : { id: c.id, name: c.name },
);

/** The column of an item (its `_gov.category` is a column id; a name is accepted too). */
export function columnOf(item) {
  const key = item._gov?.category;
  const column = columns.find((c) => c.id === key || c.name === key);
  assert.ok(column, `feed item ${item.id} has category ${key}, which is not a column of feed._gov.columns`);
  return column;
}

const time = (item) => Date.parse(item.date_published);

/** Items newest first, as every list shows them. */
export function newestFirst(items = feed.items) {
  return [...items].sort((a, b) => time(b) - time(a));
}

/** YYYY-MM-DD of an RFC 3339 timestamp in Beijing time (UTC+8). */
export function beijingDate(rfc3339) {
  return new Date(Date.parse(rfc3339) + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/**
 * Asserts that `shown` (titles in page order) is page `page` of `items`
 * newest first. Items published at the same instant may appear in either
 * order, so each position accepts any title with the expected timestamp.
 */
export function assertListPage(shown, items, page, where) {
  const sorted = newestFirst(items);
  const expected = sorted.slice((page - 1) * 20, page * 20);
  assert.equal(
    shown.length,
    expected.length,
    `${where}: expected ${expected.length} notices on page ${page}, saw ${shown.length}:\n${shown.join('\n')}`,
  );
  expected.forEach((item, i) => {
    const tied = sorted.filter((x) => time(x) === time(item)).map((x) => x.title);
    assert.ok(
      tied.includes(shown[i]),
      `${where}: notice ${(page - 1) * 20 + i + 1} (newest first) should be "${item.title}" ` +
        `(${item.date_published})${tied.length > 1 ? ` or one published at the same time` : ''}, saw "${shown[i]}"`,
    );
  });
  assert.equal(new Set(shown).size, shown.length, `${where}: a notice is listed twice:\n${shown.join('\n')}`);
}

/** The item with this exact title. */
export function itemTitled(title) {
  const item = feed.items.find((i) => i.title === title);
  assert.ok(item, `content/feed.json has no item titled "${title}"`);
  return item;
}

/** Plain text of an HTML fragment, whitespace collapsed (for comparing with innerText). */
export function htmlToText(html) {
  return normalize(
    html
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
      .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
      .replace(/&amp;/g, '&'),
  );
}

export function normalize(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** The type label the article page shows for an attachment (src/format.rs mime_label). */
export function mimeLabel(mime) {
  const m = (mime ?? '').split(';')[0].trim();
  const known = {
    'application/pdf': 'PDF',
    'application/msword': 'Word',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
    'application/vnd.ms-excel': 'Excel',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
    'application/vnd.ms-powerpoint': 'PPT',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPT',
    'application/zip': 'ZIP',
    'application/x-zip-compressed': 'ZIP',
    'application/vnd.ofd': 'OFD',
    'application/ofd': 'OFD',
    'text/plain': 'TXT',
  };
  if (known[m]) return known[m];
  const [type, sub] = m.split('/');
  if (type === 'image' && sub) return `图片 ${sub.toUpperCase()}`;
  return sub ? sub.toUpperCase() : '文件';
}

/** The size the article page shows for an attachment (src/format.rs display_size). */
export function displaySize(bytes) {
  const KB = 1024;
  if (bytes < KB) return `${bytes} B`;
  if (bytes < KB * KB) return `${(bytes / KB).toFixed(1)} KB`;
  if (bytes < KB * KB * KB) return `${(bytes / (KB * KB)).toFixed(1)} MB`;
  return `${(bytes / (KB * KB * KB)).toFixed(1)} GB`;
}

// ---------------------------------------------------------------------------
// Polling assertions: playwright-core has no `expect`, so tests wait for a
// condition with `eventually` instead of sleeping.

/**
 * Retries `check` (which throws while the condition does not hold) until it
 * passes or `timeout` ms have gone; then rethrows its last error.
 */
export async function eventually(check, { timeout = 15_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        error.message = `still failing after ${timeout} ms: ${error.message}`;
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

// ---------------------------------------------------------------------------
// A page under test.

function slug(text) {
  return text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

export class Session {
  constructor(t, context, page, allowConsole) {
    this.t = t;
    this.context = context;
    this.page = page;
    this.allowConsole = allowConsole;
    /** Everything the browser reported that the test did not expect. */
    this.problems = [];
    this.shots = 0;
  }

  /** Records a problem unless one of the test's expectations covers it. */
  report(kind, text) {
    if (this.allowConsole.some((re) => re.test(text))) return;
    this.problems.push(`${kind} on ${this.page.url()}: ${text}`);
  }

  /** Saves a full-page screenshot to e2e/artifacts/<test>--<n>-<label>.png. */
  async screenshot(label) {
    mkdirSync(fileURLToPath(ARTIFACTS), { recursive: true });
    this.shots += 1;
    const name = `${slug(this.t.name)}--${String(this.shots).padStart(2, '0')}-${slug(label)}.png`;
    const file = fileURLToPath(new URL(name, ARTIFACTS));
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** Runs axe (WCAG 2.2 AA) on the page as it is now, fails on any violation, and screenshots it. */
  async checkPage(label) {
    const shot = await this.screenshot(label);
    const results = await new AxeBuilder({ page: this.page }).withTags(AXE_TAGS).analyze();
    if (results.violations.length > 0) {
      assert.fail(
        `axe found ${results.violations.length} accessibility violation(s) on ${label} (${this.page.url()}), ` +
          `screenshot ${shot}:\n${formatViolations(results.violations)}`,
      );
    }
  }
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      at ${n.target.join(' ')}\n         ${n.failureSummary.replace(/\s*\n\s*/g, '; ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `  - [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Runs `body(session)` in a fresh browser context and fails the test on any
 * console error, uncaught exception or CSP violation it did not expect.
 *
 * options.viewport     defaults to 1280×900
 * options.allowConsole regexes for console errors this test provokes on purpose
 * options.javaScript   false: a browser with JavaScript off (the static pages)
 */
export async function withPage(browser, t, options, body) {
  const { viewport = { width: 1280, height: 900 }, allowConsole = [], javaScript = true } = options ?? {};
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    javaScriptEnabled: javaScript,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const session = new Session(t, context, page, allowConsole);
  session.javaScript = javaScript;

  // CSP violations are reported from the page through a binding, so they are
  // caught on every document the test visits, not only the last one.
  await context.exposeBinding('__gkCspViolation', (_source, v) =>
    session.report(
      'CSP violation',
      `${v.directive} blocked ${v.blocked || '(inline)'} in ${v.source}:${v.line}${v.sample ? ` "${v.sample}"` : ''}`,
    ),
  );
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__gkCspViolation({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        source: e.sourceFile,
        line: e.lineNumber,
        sample: e.sample,
      });
    });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location()?.url ? ` (${msg.location().url}:${msg.location().lineNumber})` : '';
    session.report('console error', `${msg.text()}${where}`);
  });
  page.on('pageerror', (error) => session.report('uncaught exception', error.stack || String(error)));
  page.on('crash', () => session.report('crash', 'the page crashed'));

  let failure;
  try {
    await body(session);
  } catch (error) {
    failure = error;
    await session.screenshot('failure').catch(() => {});
  }
  await context.close();
  const reported = session.problems.length
    ? `the browser reported ${session.problems.length} problem(s):\n${session.problems.map((p) => `  - ${p}`).join('\n')}`
    : '';
  if (failure) {
    if (reported) failure.message += `\n\nAlso, ${reported}`;
    throw failure;
  }
  if (reported) assert.fail(`Expected no console errors, uncaught exceptions or CSP violations, but ${reported}`);
}

// ---------------------------------------------------------------------------
// Reading settings (issue 4): seeded into localStorage the way the app stores
// them, and a recorder that stands in for the Web Speech API.

/** The localStorage key of the app's settings (src/state/storage.rs KEY_PREFIX + "settings"). */
export const SETTINGS_KEY = 'gongkai.settings';

/** What every setting is when nothing is stored; also what 重置 returns to. */
export const DEFAULT_SETTINGS = {
  v: 1,
  script: 'zh-Hans',
  zoom: 100,
  elder: 'off',
  scheme: 'default',
  font: 'medium',
  cursor: 'off',
  guide: 'off',
  captions: 'off',
  textonly: 'off',
  toolbar: 'closed',
  speech_rate: 'normal',
  shortcuts: 'on',
};

/** The data attributes of `.gk-app` that a settings value should produce. */
export function expectedAttributes(settings) {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  return {
    'data-zoom': String(s.zoom),
    'data-elder': s.elder,
    'data-scheme': s.scheme,
    'data-font': s.font,
    'data-cursor': s.cursor,
    'data-textonly': s.textonly,
  };
}

/**
 * Stores `settings` (merged over the defaults) in localStorage before the
 * first page of the context loads, as a returning reader would have them.
 * It seeds once per tab, so the app's own changes survive reloads.
 */
export async function seedSettings(context, settings) {
  const value = JSON.stringify({ ...DEFAULT_SETTINGS, ...settings });
  await context.addInitScript(
    ([key, value]) => {
      try {
        if (sessionStorage.getItem('gk-e2e-seeded')) return;
        sessionStorage.setItem('gk-e2e-seeded', '1');
        localStorage.setItem(key, value);
      } catch {
        // about:blank has no storage; the first real page seeds.
      }
    },
    [SETTINGS_KEY, value],
  );
}

/** Waits until `.gk-app` carries every attribute of `expected` (name → value). */
export async function expectAppAttributes(page, expected, why = '') {
  await eventually(async () => {
    const actual = await page.locator('.gk-app').evaluate((app, names) => {
      const out = {};
      for (const n of names) out[n] = app.getAttribute(n);
      return out;
    }, Object.keys(expected));
    for (const [name, value] of Object.entries(expected)) {
      assert.equal(
        actual[name],
        value,
        `expected .gk-app[${name}="${value}"]${why ? ` ${why}` : ''}; the root has ${JSON.stringify(actual)}`,
      );
    }
  });
}

/**
 * Replaces `speechSynthesis` and `SpeechSynthesisUtterance` with a recorder
 * before any page script runs. `window.__speech` then holds
 * `spoken` ({ text, lang, rate } per speak() call, in order) and `cancels`.
 * Utterances are "spoken" one after another: each fires start, then end
 * (both as `on…` handlers and as events) a few milliseconds later;
 * cancel() fires error ("interrupted" / "canceled") and empties the queue.
 *
 * With `{ missing: true }` the API is deleted instead, as in a browser
 * without speech.
 */
export async function installSpeech(context, { missing = false } = {}) {
  await context.addInitScript((missing) => {
    if (missing) {
      delete window.speechSynthesis;
      delete window.SpeechSynthesisUtterance;
      delete window.SpeechSynthesisEvent;
      delete window.SpeechSynthesisErrorEvent;
      for (const name of ['speechSynthesis', 'SpeechSynthesisUtterance']) {
        if (name in window) Object.defineProperty(window, name, { value: undefined, configurable: true, writable: true });
      }
      return;
    }
    // `dropped`: utterances cancel() threw away; `errorsFired`: how many of
    // them have been told so (their error event dispatched).
    const record = { spoken: [], cancels: 0, pauses: 0, resumes: 0, dropped: 0, errorsFired: 0 };
    window.__speech = record;
    const fire = (target, type, extra = {}) => {
      const event = new Event(type);
      Object.assign(event, { utterance: target, charIndex: 0, elapsedTime: 0, name: '' }, extra);
      const handler = target['on' + type];
      if (typeof handler === 'function') handler.call(target, event);
      target.dispatchEvent(event);
    };
    class Utterance extends EventTarget {
      constructor(text = '') {
        super();
        this.text = String(text);
        this.lang = '';
        this.rate = 1;
        this.pitch = 1;
        this.volume = 1;
        this.voice = null;
        for (const t of ['start', 'end', 'error', 'pause', 'resume', 'boundary', 'mark']) this['on' + t] = null;
      }
    }
    const queue = [];
    let current = null;
    let timer = null;
    const next = () => {
      if (current || queue.length === 0) return;
      current = queue.shift();
      const u = current;
      timer = setTimeout(() => {
        fire(u, 'start');
        timer = setTimeout(() => {
          if (current !== u) return;
          current = null;
          fire(u, 'end', { elapsedTime: 20 });
          next();
        }, 20);
      }, 5);
    };
    const synth = new EventTarget();
    Object.assign(synth, {
      onvoiceschanged: null,
      speak(u) {
        record.spoken.push({ text: u.text, lang: u.lang, rate: u.rate, at: performance.now() });
        queue.push(u);
        next();
      },
      cancel() {
        record.cancels += 1;
        clearTimeout(timer);
        const dropped = current ? [current, ...queue] : [...queue];
        queue.length = 0;
        current = null;
        record.dropped += dropped.length;
        dropped.forEach((u, i) =>
          setTimeout(() => {
            fire(u, 'error', { error: i === 0 ? 'interrupted' : 'canceled' });
            record.errorsFired += 1;
          }, 0),
        );
      },
      pause() {
        record.pauses += 1;
      },
      resume() {
        record.resumes += 1;
      },
      getVoices() {
        return [];
      },
    });
    Object.defineProperties(synth, {
      speaking: { get: () => current !== null },
      pending: { get: () => queue.length > 0 },
      paused: { get: () => false },
    });
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true, writable: true });
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true, writable: true });
  }, missing);
}

/** What the recorder has heard so far: `{ spoken: [{ text, lang, rate }], cancels }`. */
export async function speechLog(page) {
  return page.evaluate(() => {
    const s = window.__speech;
    if (!s) throw new Error('the speech recorder is not installed on this page (window.__speech missing)');
    return { spoken: s.spoken.map(({ text, lang, rate }) => ({ text, lang, rate })), cancels: s.cancels };
  });
}

/** WCAG 2 contrast ratio of two sRGB colours given as [r, g, b] (0–255). */
export function contrastRatio(a, b) {
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Wraps a `context.route` handler so that a request still in flight when the
 * test closes its context (a frame loading, a font) ends quietly instead of
 * failing the run with an unhandled "Fetch response has been disposed".
 * Any other error is thrown as usual.
 */
export function routeHandler(handler) {
  return async (route) => {
    try {
      await handler(route);
    } catch (error) {
      // A request still in flight when the test closes its context (a
      // chunk the app fetches ahead, say) ends in one of these.
      if (/has been (closed|disposed)|[Rr]equest context disposed|Target (page, context or browser )?(has been )?closed/.test(String(error?.message))) return;
      throw error;
    }
  };
}

// ---------------------------------------------------------------------------
// The app on a static page (docs/performance.md): a list or article page
// marked `data-start="on-demand"` starts it only when the reader uses what
// only the app runs, such as the search box.

/** The static root of a page whose app starts on demand. */
export const ON_DEMAND_ROOT = '[data-gongkai] > .gk-app[data-start="on-demand"]';

/**
 * Starts the app on a static page that waits for the reader, the way a
 * reader does: by using the search box. The event is the one focusing the
 * box sends, without moving the focus, so a journey that begins at the
 * top of the page (Tab to the skip link) still does. Nothing happens on a
 * page whose app starts by itself, or has started.
 */
export async function startApp(page) {
  await page.locator('[data-gongkai] > .gk-app, [data-gongkai] > .gk-takeover').first().waitFor({ state: 'attached' });
  const box = page.locator(`${ON_DEMAND_ROOT} form.gk-search input[name="q"]`);
  if ((await box.count()) === 0) return;
  await box.dispatchEvent('focusin');
}
