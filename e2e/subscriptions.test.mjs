// 订阅 (issue 19): the section's and each column's Atom 1.0 and JSON Feed
// 1.1, checked three ways on the built site: every JSON file that declares
// the JSON Feed version against the community JSON Feed 1.1 schema (npm
// jsonfeed-schema, with ajv), every Atom feed against RFC 4287's RELAX NG
// schema (xmllint --relaxng), and each feed read by real reader libraries
// (Python's feedparser for Atom; @extractus/feed-extractor for both) with
// the titles, links and dates of the notices.
// Then what readers see: the head's <link rel="alternate"> and the visible
// 订阅 links, served by nginx with the right media types.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  columns,
  columnOf,
  eventually,
  feed,
  launchBrowser,
  newestFirst,
  normalize,
  urlFor,
  withPage,
  startApp,
} from './support.mjs';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const JSON_FEED_SCHEMA = require('jsonfeed-schema/v1.1');
const { extract } = require('@extractus/feed-extractor');

/** The built site scripts/e2e serves (scripts/build-site writes it). */
const SITE = process.env.GONGKAI_SITE ?? fileURLToPath(new URL('../dist/', import.meta.url));
const BUNDLE = join(SITE, 'bundle');
const ATOM_RNG = fileURLToPath(new URL('./schemas/atom.rng', import.meta.url));
const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';
/** Where the feeds say the site is: the build's --site-url, else home_page_url. */
const SITE_URL = (process.env.SITE_URL ?? feed.home_page_url ?? '').replace(/\/$/, '');
const FEED_ITEMS = 50;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Every file under `dir`, as paths. */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON_FEED_SCHEMA);
}

/** The errors of the JSON Feed 1.1 schema for `doc`, one line each, or []. */
function jsonFeedErrors(validate, doc) {
  return validate(doc) ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** xmllint's verdict on `file` against RFC 4287's schema: [ok, output]. */
function relaxng(file) {
  const r = spawnSync('xmllint', ['--noout', '--relaxng', ATOM_RNG, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`xmllint could not run (apt-get install libxml2-utils): ${r.error.message}`);
  return [r.status === 0, `${r.stdout}${r.stderr}`.trim()];
}

/** Each feed (by URL) as Python's feedparser reads it: title, entries' titles, links, dates (unix seconds). */
function feedparser(urls) {
  const script = `
import calendar, json, sys
import feedparser
out = {}
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out[path] = {
        "bozo": bool(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version, "title": d.feed.get("title"),
        "entries": [{"title": e.get("title"), "link": e.get("link"),
                     "published": calendar.timegm(e.published_parsed) if e.get("published_parsed") else None}
                    for e in d.entries],
    }
print(json.dumps(out, ensure_ascii=False))
`;
  const r = spawnSync('python3', ['-c', script, ...urls], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`feedparser failed (pip install feedparser): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const lists = [{ id: 'all', name: feed._gov.section ?? '政府信息公开' }, ...columns];

/** The newest 50 items of a list, as the feed of that list must hold them. */
function expectedItems(list) {
  const items = list === 'all' ? feed.items : feed.items.filter((i) => columnOf(i).id === list);
  return newestFirst(items).slice(0, FEED_ITEMS);
}

const feedFile = (variant, list, ext) => join(BUNDLE, 'feeds', variant, `${list}.${ext}`);

test('every file of the site that declares JSON Feed 1.1 is a valid JSON Feed 1.1', () => {
  const validate = validator();
  const declaring = [];
  for (const path of walk(SITE).filter((p) => p.endsWith('.json') && !p.includes('/.gongkai/'))) {
    let doc;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      continue;
    }
    if (doc?.version !== JSON_FEED_VERSION) continue;
    declaring.push(path);
    const errors = jsonFeedErrors(validate, doc);
    assert.deepEqual(errors, [], `${path} declares ${JSON_FEED_VERSION} but fails its schema:\n${errors.join('\n')}`);
  }
  const expected = lists.length * 2; // both scripts
  assert.equal(
    declaring.length,
    expected,
    `expected the ${expected} subscription feeds to be the files declaring the version, found:\n${declaring.join('\n')}`,
  );
  assert.ok(declaring.every((p) => p.includes('/bundle/feeds/')), 'only the subscription feeds declare the version');
});

test('the checks fail on an invalid feed: the old list page, a relative next_url, a broken Atom feed', () => {
  const validate = validator();
  // The bundle list page of format 1: version declared, items without a body, next_url relative.
  const oldListPage = {
    version: JSON_FEED_VERSION,
    title: '政府信息公开 - 第 1 页',
    next_url: '2.json',
    items: [{ id: 'a', title: 't', date_published: '2023-01-01T00:00:00+08:00' }],
  };
  const errors = jsonFeedErrors(validate, oldListPage);
  assert.ok(errors.some((e) => /next_url/.test(e)), `the schema refuses a relative next_url: ${errors}`);
  assert.ok(errors.some((e) => /content_html|content_text|anyOf|oneOf/.test(e)), `and an item without a body: ${errors}`);

  const dir = mkdtempSync(join(tmpdir(), 'gk-feeds-'));
  try {
    const good = readFileSync(feedFile('zh-Hans', 'all', 'atom'), 'utf8');
    const broken = join(dir, 'broken.atom');
    writeFileSync(broken, good.replace(/<updated>[^<]*<\/updated>/, '<updated>2023-05-04 10:30</updated>'));
    const [ok, out] = relaxng(broken);
    assert.equal(ok, false, `xmllint refuses an Atom date that is not xsd:dateTime:\n${out}`);
    const noId = join(dir, 'no-id.atom');
    writeFileSync(noId, good.replace(/<id>[^<]*<\/id>/, ''));
    assert.equal(relaxng(noId)[0], false, 'xmllint refuses a feed without atom:id');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('each Atom feed is valid against the RELAX NG schema of RFC 4287 and its two Schematron rules', () => {
  for (const variant of ['zh-Hans', 'zh-Hant']) {
    for (const list of lists) {
      const file = feedFile(variant, list.id, 'atom');
      const [ok, out] = relaxng(file);
      assert.ok(ok, `${file} fails RFC 4287's schema:\n${out}`);
      const xml = readFileSync(file, 'utf8');
      // RFC 4287's Schematron rules: an author for the feed (none of the
      // entries has its own), an alternate link in every entry.
      const head = xml.split('<entry>')[0];
      assert.match(head, /<author><name>[^<]+<\/name><\/author>/, `${file}: the feed has an author`);
      for (const entry of xml.split('<entry>').slice(1)) {
        assert.match(entry, /<link rel="alternate" type="text\/html" href="[^"]+"\/>/, `${file}: every entry links its page`);
      }
    }
  }
});

/** Asserts that a reader's view of a feed (`entries`: title, link, published in ms) is the list's newest notices. */
function expectEntries(where, variant, list, entries) {
  const expected = expectedItems(list.id);
  assert.equal(entries.length, expected.length, `${where}: the newest ${FEED_ITEMS} notices of ${list.id}`);
  const lang = variant === 'zh-Hant' ? '?lang=zh-Hant' : '';
  expected.forEach((item, i) => {
    const entry = entries[i];
    assert.equal(entry.link, `${SITE_URL}/article/${item.id}${lang}`, `${where}, entry ${i}: link`);
    assert.equal(entry.published, Date.parse(item.date_published), `${where}, entry ${i}: date`);
    const title =
      variant === 'zh-Hans'
        ? item.title
        : JSON.parse(readFileSync(join(BUNDLE, 'zh-Hant', 'items', `${item.id}.json`), 'utf8')).item.title;
    assert.equal(entry.title, title, `${where}, entry ${i}: title`);
  });
}

const feeds = ['zh-Hans', 'zh-Hant'].flatMap((variant) =>
  lists.flatMap((list) =>
    ['atom', 'json'].map((ext) => ({ variant, list, ext, url: urlFor(`/bundle/feeds/${variant}/${list.id}.${ext}`) })),
  ),
);

test('Python feedparser, fetching them from the site, reads every Atom feed with the titles, links and dates of the notices', () => {
  // feedparser 6 reads RSS and Atom (not JSON Feed: the next test's reader does).
  const atom = feeds.filter((f) => f.ext === 'atom');
  const parsed = feedparser(atom.map((f) => f.url));
  for (const { variant, list, url } of atom) {
    const got = parsed[url];
    assert.equal(got.bozo, false, `${url}: feedparser found the feed malformed: ${got.bozo_exception}`);
    assert.equal(got.version, 'atom10', `${url}: read as ${got.version}`);
    expectEntries(url, variant, list, got.entries.map((e) => ({ ...e, published: e.published * 1000 })));
    if (variant === 'zh-Hans') {
      assert.ok(got.title.startsWith(list.name), `${url}: the feed is named after ${list.name}: ${got.title}`);
    }
  }
});

test('@extractus/feed-extractor, fetching them from the site, reads every Atom and JSON feed alike', async () => {
  for (const { variant, list, url } of feeds) {
    const got = await extract(url, { normalization: true });
    expectEntries(
      url,
      variant,
      list,
      got.entries.map((e) => ({ title: e.title, link: e.link, published: Date.parse(e.published) })),
    );
    if (variant === 'zh-Hans') {
      assert.ok(got.title.startsWith(list.name), `${url}: the feed is named after ${list.name}: ${got.title}`);
    }
  }
});

test('nginx serves the feeds with their media types; pages link them in the head and visibly', async (t) => {
  await withPage(browser, t, { javaScript: false }, async (session) => {
    const { page } = session;
    const request = page.request;
    for (const [ext, type] of [
      ['atom', 'application/atom+xml'],
      ['json', 'application/feed+json'],
    ]) {
      const r = await request.get(urlFor(`/bundle/feeds/zh-Hans/all.${ext}`));
      assert.equal(r.status(), 200);
      assert.equal(r.headers()['content-type'], `${type}; charset=utf-8`, `the ${ext} feed's media type`);
    }
    const column = columns[columns.length - 1];
    for (const [path, list] of [
      ['/', 'all'],
      [`/column/${column.id}`, column.id],
      ['/library', 'all'],
    ]) {
      await page.goto(urlFor(path));
      const head = await page.evaluate(() =>
        [...document.querySelectorAll('head link[rel="alternate"]')].map((l) => ({ type: l.type, href: l.href })),
      );
      assert.deepEqual(
        head.map((l) => l.type).sort(),
        ['application/atom+xml', 'application/feed+json'],
        `${path}: the head links both feeds`,
      );
      for (const link of head) {
        assert.ok(link.href.endsWith(`/bundle/feeds/zh-Hans/${list}.${link.type.includes('atom') ? 'atom' : 'json'}`), `${path}: ${link.href}`);
        assert.equal((await request.get(link.href)).status(), 200, `${path}: ${link.href} answers`);
      }
      const block = page.getByRole('region', { name: '订阅', exact: true });
      const sentence = normalize(await block.innerText());
      assert.match(sentence, /RSS 阅读器/, `${path}: one sentence says what a feed reader does: ${sentence}`);
      const atom = block.getByRole('link', { name: 'Atom 订阅地址', exact: true });
      assert.ok((await atom.getAttribute('href')).endsWith(`/feeds/zh-Hans/${list}.atom`), `${path}: the visible 订阅 link`);
    }
  });
});

test('the app keeps the head\'s feed links on the list the reader is on', async (t) => {
  await withPage(browser, t, {}, async (session) => {
    const { page } = session;
    await page.goto(urlFor('/'));
    await startApp(page);
    await page.locator('[data-gongkai] .gk-app[data-js="on"]').waitFor();
    const column = columns[1];
    await page.getByRole('navigation', { name: '栏目', exact: true }).getByRole('link', { name: column.name, exact: true }).click();
    await eventually(async () => {
      const hrefs = await page.evaluate(() =>
        [...document.querySelectorAll('head link[rel="alternate"]')].map((l) => l.getAttribute('href')),
      );
      assert.deepEqual(
        hrefs.map((h) => h.replace(/^.*\/feeds\//, '')).sort(),
        [`zh-Hans/${column.id}.atom`, `zh-Hans/${column.id}.json`],
        'after moving to a column, the head links its feeds',
      );
    });
  });
});
