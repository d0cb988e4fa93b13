'use strict';
/*
 * Meilisearch compatibility (search-server/meili/): an unmodified InstantSearch.js page using
 * @meilisearch/instant-meilisearch, served from another origin, against the real
 * kb-search-server in Debian's chromium (playwright-core): searchBox, hierarchicalMenu (region >
 * country), refinementList (searchable), rangeSlider (year), sortBy, currentRefinements, stats,
 * hits and pagination, each checked against the API, with a tenant token made by the
 * `meilisearch` client; and the official `meilisearch` JS client from Node.
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

const MASTER = 'instantsearch-master-key';
/* Partners' projects in 14 countries of 6 regions, over 20 years, three types. */
const COUNTRIES = ['SN', 'ML', 'BF', 'CI', 'MA', 'TN', 'LB', 'JO', 'VN', 'KH', 'BR', 'AR', 'DE', 'BE'];
const DOC_TYPES = ['étude', 'programme', 'actualité'];
/* The tenant token's rule: studies and programmes only (ids: the client signs Latin-1). */
const RULE = 'type IN [etude, programme]';

let tmp;
let artifacts;
let server;
let api;          // the search server
let site;         // the InstantSearch page's origin
let siteServer;
let context;
let token;        // a tenant token of a search key, with RULE

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

/* The total the stats widget shows (« 1 234 résultats », « Aucun résultat »). */
async function statsTotal(page) {
  const text = await page.locator('#stats').textContent();
  const m = /([\d\s\u00a0\u202f]+)\s+résultats?/.exec(text);
  if (m) return Number(m[1].replace(/\D/g, ''));
  if (/Aucun résultat/.test(text)) return 0;
  throw new Error('no total in stats: ' + text);
}

/* The page has answered with this total. */
async function showsTotal(page, n) {
  await page.waitForFunction((expected) => {
    const text = document.querySelector('#stats').textContent;
    const m = /([\d\s\u00a0\u202f]+)\s+résultats?/.exec(text);
    const shown = m ? Number(m[1].replace(/\D/g, '')) : /Aucun résultat/.test(text) ? 0 : -1;
    return shown === expected && window.search.status === 'idle';
  }, n);
}

async function hitIds(page) {
  return page.locator('#hits article').evaluateAll((as) => as.map((a) => a.dataset.id));
}

async function post(pathname, body, key) {
  const headers = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = 'Bearer ' + key;
  const r = await fetch(api + pathname, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

/* A search with the tenant token, as the page's client sends it. */
async function scoped(body) {
  const r = await post('/indexes/documents/search', body, token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

/* Words of a partner project's text: each text draws its own, so that no two are near-duplicates
 * (which results collapse into one). */
const WORDS = ['eau', 'forage', 'jumelage', 'école', 'santé', 'agriculture', 'formation', 'culture',
  'tourisme', 'déchets', 'énergie', 'solaire', 'marché', 'jeunesse', 'sport', 'musique', 'bibliothèque',
  'hôpital', 'irrigation', 'élevage', 'artisanat', 'festival', 'patrimoine', 'mobilité', 'transport',
  'assainissement', 'numérique', 'université', 'lycée', 'théâtre', 'cinéma', 'pêche', 'forêt', 'climat'];

function projectText(i) {
  let seed = 7 * i + 3;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  const words = Array.from({ length: 24 }, () => WORDS[next() % WORDS.length]);
  return `Projet numéro ${i} de coopération décentralisée : ${words.join(', ')}.`;
}

function partnerDocuments() {
  return Array.from({ length: 56 }, (_, i) => {
    const year = 2005 + (i * 7) % 20;
    return {
      name: `partenaire-${i}.md`,
      content: ['---', `id: partenaire-${i}`, `title: "Coopération décentralisée, projet ${i}"`,
        `date: ${year}-0${1 + (i % 9)}-15`, `type: ${DOC_TYPES[i % 3]}`, 'language: fr',
        `countries: ${COUNTRIES[i % COUNTRIES.length]}`, 'publisher: Réseau des partenaires', '---',
        projectText(i), ''].join('\n'),
    };
  });
}

/* ---------------------------------------------------------------- set-up */

before(async () => {
  if (SKIP) return;
  ({ tmp, artifacts } = makeRunDirs('kb-instantsearch-'));
  const index = await indexCorpusWith(tmp, [`title: "${XSS_TITLE} ${XSS_WORD}"`], [
    `Un document ${XSS_WORD} de test : <script>alert(2)</script> & <b>gras</b>.`,
  ], partnerDocuments());
  process.env.KB_MASTER_KEY = MASTER; // keys never go on the command line
  try {
    ({ child: server, url: api } = await startServer(index, ['--keys-file', 'memory']));
  } finally {
    delete process.env.KB_MASTER_KEY;
  }
  ({ srv: siteServer, url: site } = await startSite());
  context = await openBrowser(tmp);
  const { Meilisearch } = await import('meilisearch');
  const { generateTenantToken } = await import('meilisearch/token');
  const key = await new Meilisearch({ host: api, apiKey: MASTER })
    .createKey({ name: 'Réseau des partenaires', actions: ['search'], indexes: ['documents'], expiresAt: null });
  token = await generateTenantToken({ apiKey: key.key, apiKeyUid: key.uid,
    searchRules: { documents: { filter: RULE } }, expiresAt: new Date(Date.now() + 3600e3) });
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
    await page.locator('#searchbox .ais-SearchBox-input').pressSequentially('eau potable', { delay: 30 });
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
    await showsTotal(page, count);
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

/* Every displayed hit, as the page shows it. */
async function shownHits(page) {
  return page.locator('#hits article').evaluateAll((as) => as.map((a) => ({
    id: a.dataset.id, type: a.dataset.type, year: a.dataset.year, date: a.dataset.date,
  })));
}

test('instantsearch with a tenant token: every widget, checked against the API', { skip: SKIP }, async () => {
  const requests = [];
  const page = await openPage(`${site}/?api=${encodeURIComponent(api)}&key=${encodeURIComponent(token)}`);
  page.on('request', (r) => {
    if (r.url().startsWith(api) && r.method() === 'POST') requests.push(r.headers().authorization);
  });
  await idle(page);

  // The token's records only: fewer than the index holds, every one a study or a programme.
  const inside = (await scoped({ q: '', hitsPerPage: 0 })).totalHits;
  const everything = (await post('/indexes/documents/search', { q: '', hitsPerPage: 0 })).body.totalHits;
  assert.ok(inside > 40 && inside < everything, `${inside} of ${everything}`);
  assert.equal(await statsTotal(page), inside);
  const types = await page.locator('#type .ais-RefinementList-labelText').allTextContents();
  assert.deepEqual(types.map((t) => t.trim()).sort(), ['programme', 'étude']);
  assert.ok((await shownHits(page)).every((h) => ['étude', 'programme'].includes(h.type)));

  // hierarchicalMenu: a region, then one of its countries.
  const region = "Afrique de l'Ouest";
  const regions = await page.locator('#place .ais-HierarchicalMenu-label').allTextContents();
  assert.ok(regions.includes(region), String(regions));
  await page.locator('#place .ais-HierarchicalMenu-link', { hasText: region }).click();
  await showsTotal(page, (await scoped({ q: '', hitsPerPage: 0, filter: `place.lvl0 = "${region}"` })).totalHits);
  const children = await page.locator('#place .ais-HierarchicalMenu-list--child .ais-HierarchicalMenu-label')
    .allTextContents();
  assert.deepEqual(children.map((c) => c.trim()).sort(), ['Burkina Faso', "Côte d’Ivoire", 'Mali', 'Sénégal'].sort());
  await page.locator('#place .ais-HierarchicalMenu-list--child .ais-HierarchicalMenu-link', { hasText: 'Mali' }).click();
  const mali = await scoped({ q: '', hitsPerPage: 5, filter: `place.lvl1 = "${region} > Mali"` });
  assert.ok(mali.totalHits > 0);
  await showsTotal(page, mali.totalHits);
  assert.deepEqual((await shownHits(page)).map((h) => h.id), mali.hits.map((h) => h.id));

  // currentRefinements names it; removing it goes back to every record of the token.
  const current = page.locator('#current .ais-CurrentRefinements-item');
  assert.equal(await current.count(), 1);
  assert.match(await current.textContent(), /Lieu/);
  assert.match(await current.textContent(), /Mali/);
  await page.locator('#current .ais-CurrentRefinements-delete').first().click();
  await showsTotal(page, inside);

  // refinementList, searchable: the facet search finds the country, ticking it filters.
  await page.locator('#country .ais-SearchBox-input').fill('sén');
  await page.waitForFunction(() => {
    const labels = [...document.querySelectorAll('#country .ais-RefinementList-labelText')];
    return labels.length === 1 && labels[0].textContent.trim() === 'Sénégal';
  });
  await page.locator('#country .ais-RefinementList-item input[type="checkbox"]').first().check();
  await showsTotal(page, (await scoped({ q: '', hitsPerPage: 0, filter: 'country = "Sénégal"' })).totalHits);
  await page.locator('#current .ais-CurrentRefinements-delete').first().click();
  await showsTotal(page, inside);

  // rangeSlider on year: its bounds are the API's facetStats; moving a handle filters (a
  // page key moves it a tenth of the range).
  const stats = (await scoped({ q: '', hitsPerPage: 0, facets: ['year'] })).facetStats.year;
  const lower = page.locator('#year .rheostat-handle-lower');
  const upper = page.locator('#year .rheostat-handle-upper');
  assert.equal(Number(await lower.getAttribute('aria-valuemin')), stats.min);
  assert.equal(Number(await upper.getAttribute('aria-valuemax')), stats.max);
  for (const [handle, key] of [[lower, 'PageUp'], [upper, 'PageDown']]) {
    const before = await handle.getAttribute('aria-valuenow');
    await handle.focus();
    await page.keyboard.press(key);
    await page.waitForFunction(([selector, value]) =>
      document.querySelector(selector).getAttribute('aria-valuenow') !== value &&
      window.search.status === 'idle',
    ['#year .rheostat-handle-' + (handle === lower ? 'lower' : 'upper'), before]);
  }
  const from = Number(await lower.getAttribute('aria-valuenow'));
  const to = Number(await upper.getAttribute('aria-valuenow'));
  assert.ok(from > stats.min && to < stats.max && from < to, `${from}..${to}`);
  const ranged = await scoped({ q: '', hitsPerPage: 5, filter: [`year >= ${from}`, `year <= ${to}`] });
  assert.ok(ranged.totalHits > 0 && ranged.totalHits < inside);
  await showsTotal(page, ranged.totalHits);
  assert.ok((await shownHits(page)).every((h) => Number(h.year) >= from && Number(h.year) <= to));
  assert.match(await page.locator('#current').textContent(), /Année/);

  // sortBy: the newest first, as the API sorts them.
  await page.locator('#sort select').selectOption('documents:date:desc');
  const newest = await scoped({ q: '', hitsPerPage: 5, sort: ['date:desc'], filter: [`year >= ${from}`, `year <= ${to}`] });
  await page.waitForFunction((first) => document.querySelector('#hits article')?.dataset.id === first &&
    window.search.status === 'idle', newest.hits[0].id);
  assert.deepEqual((await shownHits(page)).map((h) => h.id), newest.hits.map((h) => h.id));
  const dates = (await shownHits(page)).map((h) => h.date);
  assert.deepEqual(dates, [...dates].sort().reverse());

  // searchBox, then pagination: page 2 as the API gives it.
  await page.locator('#searchbox .ais-SearchBox-input').fill('coopération');
  const query = { q: 'coopération', sort: ['date:desc'], filter: [`year >= ${from}`, `year <= ${to}`] };
  const words = await scoped({ ...query, hitsPerPage: 5 });
  assert.ok(words.totalHits > 5);
  await showsTotal(page, words.totalHits);
  await page.locator('#pagination .ais-Pagination-item--page a', { hasText: /^2$/ }).click();
  const second = await scoped({ ...query, hitsPerPage: 5, page: 2 });
  await page.waitForFunction((first) => document.querySelector('#hits article')?.dataset.id === first &&
    window.search.status === 'idle', second.hits[0].id);
  assert.deepEqual((await shownHits(page)).map((h) => h.id), second.hits.map((h) => h.id));
  assert.ok((await shownHits(page)).every((h) => ['étude', 'programme'].includes(h.type)));

  // The page speaks French: InstantSearch's English accessible names are said in French.
  await page.waitForTimeout(1600); // the results' announcement comes 1.4 s after an answer
  const english = await page.evaluate(() => [...document.querySelectorAll('[aria-label], [title]')]
    .flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('title')])
    .concat([...document.querySelectorAll('.ais-Stats-announcement')].map((e) => e.textContent))
    .filter((t) => t && /\b(Search|Submit|Clear|First|Previous|Next|Last|results?|Sort|Handle|loading)\b/.test(t)));
  assert.deepEqual(english, []);
  assert.match(await page.locator('.ais-Stats-announcement').textContent(), /résultats?$/);

  await page.screenshot({ path: path.join(artifacts, 'instantsearch-token.png'), fullPage: true });
  // Every search went with the token.
  assert.ok(requests.length >= 8);
  assert.ok(requests.every((a) => a === 'Bearer ' + token));
  assertClean(page);
  await page.close();
});

test('instantsearch: a hostile title is shown as text', { skip: SKIP }, async () => {
  const page = await openPage(site + '/?api=' + encodeURIComponent(api));
  await idle(page);
  await page.locator('#searchbox .ais-SearchBox-input').fill(XSS_WORD);
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
    facets: ['type'], filter: 'type = "programme" AND country = France', hitsPerPage: 5,
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

  // offset/limit, highlight tags with a crop, sort, and fields we do not support
  // (showMatchesPosition, attributesToSearchOn: accepted, ignored).
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
