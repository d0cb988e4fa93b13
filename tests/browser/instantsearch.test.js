'use strict';
/*
 * Meilisearch compatibility (search-server/meili_compat.cpp): an unmodified InstantSearch.js
 * page using @meilisearch/instant-meilisearch, served from another origin, against the real
 * kb-search-server in Debian's chromium (playwright-core); and the official `meilisearch` JS
 * client from Node.
 *
 * Same environment as browser.test.js:
 *   KB_INDEXER_BIN, KB_SERVER_BIN, KB_SOURCE_DIR (required), KB_ARTIFACT_DIR, KB_CHROMIUM
 *
 * Run: node --test tests/browser/   (after npm ci --prefix tests/browser)
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const {
  SKIP, XSS_TITLE, XSS_WORD, startServer, makeRunDirs, indexCorpusWith, tearDown,
  openBrowser, openCheckedPage, assertClean,
} = require('./support');
const PAGE_DIR = path.join(__dirname, 'instantsearch');
const MODULES = path.join(__dirname, 'node_modules');
/* The packages the page may load, from node_modules (no CDN). */
const VENDORED = ['instantsearch.js', '@meilisearch/instant-meilisearch', 'meilisearch'];

let tmp;
let artifacts;
let server;
let api;          // the search server
let site;         // the InstantSearch page's origin
let siteServer;
let context;

/* ---------------------------------------------------------------- helpers */


const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

/* The page's own origin: the page, and the vendored packages under /vendor/<package>/. */
function startSite() {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      let file = null;
      if (url.pathname === '/') file = path.join(PAGE_DIR, 'index.html');
      else if (['/app.js', '/style.css'].includes(url.pathname)) file = path.join(PAGE_DIR, url.pathname);
      else if (url.pathname.startsWith('/vendor/')) {
        const rest = decodeURIComponent(url.pathname.slice('/vendor/'.length));
        const pkg = VENDORED.find((p) => rest.startsWith(p + '/'));
        const resolved = pkg && path.resolve(MODULES, rest);
        if (resolved && resolved.startsWith(path.join(MODULES, pkg) + path.sep)) file = resolved;
      }
      if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    srv.listen(0, '127.0.0.1', () => resolve({ srv, url: `http://127.0.0.1:${srv.address().port}` }));
  });
}

function openPage(url) {
  return openCheckedPage(context, url);
}

/* InstantSearch has answered and rendered (status idle, hits or the empty state shown). */
async function idle(page) {
  await page.waitForFunction(() => window.search && window.search.status === 'idle' &&
    document.querySelector('#hits .ais-Hits'));
}

async function statsTotal(page) {
  const text = await page.locator('#stats').textContent();
  const m = /([\d\s\u00a0\u202f,.]+)\s+results?/.exec(text);
  if (m) return Number(m[1].replace(/\D/g, ''));
  if (/No results/.test(text)) return 0;
  throw new Error('no total in stats: ' + text);
}

async function hitIds(page) {
  return page.locator('#hits article').evaluateAll((as) => as.map((a) => a.dataset.id));
}

async function post(pathname, body) {
  const r = await fetch(api + pathname, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

/* ---------------------------------------------------------------- set-up */

before(async () => {
  if (SKIP) return;
  ({ tmp, artifacts } = makeRunDirs('kb-instantsearch-'));
  const index = await indexCorpusWith(tmp, [`title: "${XSS_TITLE} ${XSS_WORD}"`], [
    `Un document ${XSS_WORD} de test : <script>alert(2)</script> & <b>gras</b>.`,
  ]);
  ({ child: server, url: api } = await startServer(index));
  ({ srv: siteServer, url: site } = await startSite());
  context = await openBrowser(tmp);
});

after(async () => {
  await tearDown({ context, site: siteServer, server, tmp });
});

/* ---------------------------------------------------------------- the InstantSearch page */

test('instantsearch: query, highlight, refinement, pagination from another origin',
  { skip: SKIP }, async () => {
    assert.notEqual(new URL(site).origin, new URL(api).origin);
    const requests = [];
    const page = await openPage(site + '/?api=' + encodeURIComponent(api));
    page.on('request', (r) => {
      if (r.url().startsWith(api)) requests.push({ url: r.url(), method: r.method(), headers: r.headers() });
    });
    await idle(page);
    assert.ok(await page.locator('#hits article').count() > 0, 'browse shows documents');
    const all = await statsTotal(page);
    assert.ok(all > 5000, `every document (${all})`);

    // Type a query: highlighted words in titles or snippets.
    await page.locator('.ais-SearchBox-input').pressSequentially('eau potable', { delay: 30 });
    await page.waitForFunction(() => /eau/i.test(
      [...document.querySelectorAll('#hits mark')].map((m) => m.textContent).join(' ')));
    await idle(page);
    const total = await statsTotal(page);
    const direct = await post('/indexes/documents/search', { q: 'eau potable', hitsPerPage: 1 });
    assert.equal(total, direct.body.totalHits, 'the page shows the server\'s total');
    assert.ok(total > 5 && total < all, `the query narrows (${total})`);
    const marks = await page.locator('#hits mark').allTextContents();
    // "eau potable" names the theme eau et assainissement: its other labels are marked too.
    assert.ok(marks.length > 0 && marks.some((m) => /eau|potable/i.test(m)), `marks: ${marks}`);
    assert.ok(marks.every((m) => m.trim().length > 0), `marks: ${marks}`);
    assert.equal(await page.locator('#hits .snippet mark.ais-Highlight-highlighted').count() > 0, true);
    assert.equal(await page.locator('#hits article').count(), 5, 'hitsPerPage 5');

    // Click a theme: results and counts change.
    const item = page.locator('#theme .ais-RefinementList-item').first();
    const label = (await item.locator('.ais-RefinementList-labelText').textContent()).trim();
    const count = Number((await item.locator('.ais-RefinementList-count').textContent()).replace(/\D/g, ''));
    assert.ok(count > 0 && count < total, `a theme with ${count} of ${total}`);
    const typeCountsBefore = await page.locator('#type .ais-RefinementList-count').allTextContents();
    await item.locator('input[type="checkbox"]').check();
    await page.waitForFunction((n) => {
      const m = /([\d\s\u00a0\u202f,.]+)\s+results?/.exec(document.querySelector('#stats').textContent);
      return m && Number(m[1].replace(/\D/g, '')) === n && window.search.status === 'idle';
    }, count);
    assert.equal(await statsTotal(page), count, `the theme '${label}' leaves ${count} results`);
    assert.ok(await page.locator('#theme .ais-RefinementList-item--selected').count() === 1);
    assert.notDeepEqual(await page.locator('#type .ais-RefinementList-count').allTextContents(),
      typeCountsBefore, 'the type counts follow the theme');
    // What the UI sent back resolves: the label round-trips through the filter.
    const filtered = await post('/multi-search', { queries: [{ indexUid: 'documents', q: 'eau potable',
      filter: [[`"theme"="${label}"`]], hitsPerPage: 5 }] });
    assert.equal(filtered.status, 200);
    assert.equal(filtered.body.results[0].totalHits, count);
    assert.deepEqual(await hitIds(page), filtered.body.results[0].hits.map((h) => h.id));

    // Page 2.
    const firstPage = await hitIds(page);
    if (count > 5) {
      await page.locator('#pagination .ais-Pagination-item--page a', { hasText: /^2$/ }).click();
      await page.waitForFunction(() =>
        /^\s*2\s*$/.test(document.querySelector('.ais-Pagination-item--selected')?.textContent || '') &&
        window.search.status === 'idle');
      await idle(page);
      const second = await hitIds(page);
      assert.ok(second.length > 0);
      assert.ok(second.every((id) => !firstPage.includes(id)), 'page 2 shows other documents');
      const expected = await post('/indexes/documents/search', { q: 'eau potable',
        filter: `theme = "${label}"`, page: 2, hitsPerPage: 5, attributesToRetrieve: ['id'] });
      assert.deepEqual(second, expected.body.hits.map((h) => h.id));
    }
    await page.screenshot({ path: path.join(artifacts, 'instantsearch.png'), fullPage: true });

    // The requests: multi-search with the client's key and headers (preflighted by CORS).
    const searches = requests.filter((r) => r.method === 'POST');
    assert.ok(searches.length >= 3);
    for (const r of searches) {
      assert.equal(new URL(r.url).pathname, '/multi-search');
      assert.equal(r.headers.authorization, 'Bearer public-search-key');
      assert.match(r.headers['x-meilisearch-client'], /instant-meilisearch/);
    }
    assertClean(page);
    await page.close();
  });

test('instantsearch: a hostile title is shown as text', { skip: SKIP }, async () => {
  const page = await openPage(site + '/?api=' + encodeURIComponent(api));
  await idle(page);
  await page.locator('.ais-SearchBox-input').fill(XSS_WORD);
  await page.waitForFunction((id) => document.querySelector(`#hits article[data-id="${id}"]`),
    'test-xss-document');
  await idle(page);
  const title = page.locator('#hits article[data-id="test-xss-document"] .title');
  assert.equal((await title.textContent()).trim(), `${XSS_TITLE} ${XSS_WORD}`);
  assert.equal(await title.locator('mark').textContent(), XSS_WORD, 'the query word is marked');
  assert.equal(await page.locator('#hits img, #hits script, #hits b').count(), 0);
  assert.match(await page.locator('#hits .snippet').first().textContent(), /<script>alert\(2\)<\/script> & <b>gras<\/b>/);
  await page.waitForTimeout(300);
  assertClean(page);
  await page.close();
});

/* ---------------------------------------------------------------- the meilisearch JS client */

test('meilisearch JS client: search with facets, filter and hitsPerPage', { skip: SKIP }, async () => {
  const { Meilisearch, MeilisearchApiError } = await import('meilisearch');
  const client = new Meilisearch({ host: api, apiKey: 'any-key' });
  const index = client.index('documents');
  const r = await index.search('coopération', {
    facets: ['type'], filter: 'type = "programme"', hitsPerPage: 5,
  });
  assert.ok(r.hits.length > 0 && r.hits.length <= 5);
  assert.ok(r.hits.every((h) => h.type === 'programme' && h.id && typeof h.title === 'string'));
  assert.equal(r.page, 1);
  assert.equal(r.hitsPerPage, 5);
  assert.equal(r.totalHits, r.hits.length);
  assert.equal(r.totalPages, 1);
  assert.equal(r.query, 'coopération');
  assert.equal(typeof r.processingTimeMs, 'number');
  assert.equal(r.facetDistribution.type.programme, r.totalHits);
  assert.deepEqual(r.facetStats, {});

  // offset/limit, highlight tags, sort, and fields we do not support (accepted, ignored).
  const o = await index.search('coopération', {
    offset: 3, limit: 4, attributesToHighlight: ['*'], highlightPreTag: '[', highlightPostTag: ']',
    attributesToCrop: ['snippet'], cropLength: 10, cropMarker: '…', matchingStrategy: 'last',
    showMatchesPosition: true, showRankingScore: true, attributesToSearchOn: ['title'],
    sort: ['date:desc'], facets: ['country', 'year'],
  });
  assert.equal(o.offset, 3);
  assert.equal(o.limit, 4);
  assert.equal(o.hits.length, 4);
  assert.ok(o.estimatedTotalHits > 7);
  assert.ok(o.hits.some((h) => /\[coopération\]/i.test(h._formatted.snippet)), 'tags in _formatted');
  assert.ok(o.hits.every((h) => !/\[|<mark>/.test(h.snippet)), 'the plain snippet has no tags');
  const dates = o.hits.map((h) => h.date).filter(Boolean);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  const window = await index.search('coopération', { offset: 0, limit: 7, sort: ['date:desc'] });
  assert.deepEqual(o.hits.map((h) => h.id), window.hits.slice(3).map((h) => h.id), 'offset 3, limit 4');
  assert.ok(Object.keys(o.facetDistribution.country).includes('France'), 'labels, not ids');

  // Filters: an OR group, AND, NOT, IN, year comparisons; a label, an id or an alias.
  // Page mode: totalHits is exact (estimatedTotalHits, with offset/limit, need not be).
  const count = async (filter) => (await index.search('', { filter, hitsPerPage: 0 })).totalHits;
  const france = await count('country = "France"');
  assert.equal(await count('country = FR'), france);
  const [programme, etude] = [await count('type = programme'), await count('type = "étude"')];
  assert.ok(programme > 0 && etude > 0);
  assert.equal(await count([['type = "programme"', 'type = "étude"']]), programme + etude);
  assert.equal(await count('type IN [programme, "étude"]'), programme + etude);
  assert.equal(await count('type = programme OR type = etude'), programme + etude);
  assert.equal(await count([['type = programme', 'type = etude'], 'country = France']),
    await count('(type = programme OR type = etude) AND country = France'));
  const all = await count('');
  const reference = await count('type = "texte de référence"');
  assert.equal(await count('NOT type = "texte de référence"'), all - reference);
  assert.equal(await count('type != "texte de référence"'), all - reference);
  assert.equal(await count('NOT type IN ["texte de référence", programme]'), all - reference - programme);
  assert.ok(await count('NOT country = France') < all);
  assert.equal(await count('year >= 2017 AND year <= 2017'), await count('year = 2017'));
  assert.equal(await count('type = "étude" AND type = "programme"'), 0);

  // multiSearch returns one result per query, each with its indexUid.
  const m = await client.multiSearch({ queries: [
    { indexUid: 'documents', q: 'eau', limit: 2 },
    { indexUid: 'documents', q: 'eau', facets: ['theme'], limit: 0 },
  ] });
  assert.equal(m.results.length, 2);
  assert.equal(m.results[0].indexUid, 'documents');
  assert.equal(m.results[0].hits.length, 2);
  assert.ok(Object.keys(m.results[1].facetDistribution.theme).length > 0);

  // Facet search, index info, and errors as the client reports them.
  const fs_ = await index.searchForFacetValues({ facetName: 'country', facetQuery: 'fra' });
  assert.deepEqual(fs_.facetHits.map((h) => h.value), ['France']);
  const info = await index.getRawInfo();
  assert.equal(info.uid, 'documents');
  assert.equal(info.primaryKey, 'id');
  await assert.rejects(client.index('movies').search('x'),
    (e) => e instanceof MeilisearchApiError && e.cause.code === 'index_not_found' && e.response.status === 404);
  await assert.rejects(index.search('x', { filter: 'country = Atlantide' }),
    (e) => e.response.status === 400 && e.cause.code === 'unknown_facet_value');
  await assert.rejects(index.search('x', { filter: 'country = FR OR type = étude' }),
    (e) => e.response.status === 400 && e.cause.code === 'invalid_search_filter');
  await assert.rejects(index.search('x', { sort: ['title:asc'] }),
    (e) => e.response.status === 400 && e.cause.code === 'invalid_search_sort');
});

test('meilisearch routes: CORS preflight allows the client\'s headers', { skip: SKIP }, async () => {
  const r = await fetch(api + '/multi-search', { method: 'OPTIONS', headers: {
    Origin: 'http://partner.example', 'Access-Control-Request-Method': 'POST',
    'Access-Control-Request-Headers': 'authorization,content-type,x-meilisearch-client',
  } });
  assert.equal(r.status, 204);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.match(r.headers.get('access-control-allow-headers'), /X-Meilisearch-Client/i);
  assert.match(r.headers.get('access-control-allow-headers'), /Authorization/i);
  assert.match(r.headers.get('access-control-allow-methods'), /POST/);
  const bad = await post('/multi-search', { queries: [{ indexUid: 'documents', q: 'x', limit: 'ten' }] });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /queries\[0\]/);
  assert.equal(bad.body.error.code, bad.body.code, 'Passerelle\'s error shape too');
});
