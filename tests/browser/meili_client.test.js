'use strict';
/*
 * The official `meilisearch` JS client (0.57) against the real kb-search-server on corpus/seeds:
 * health, version, stats, indexes and settings, then writes answered as tasks it waits for,
 * browsing with a filter, a partial update, a deletion and a filtered search; settings updated,
 * read and reset; each search parameter (hybrid, crops, ranking score, matching strategy,
 * place levels, facetStats); a scoped key and a tenant token whose filter no search widens.
 * No browser: this file needs only the programs (support.js ENV), and skips with the others
 * when they are not given.
 *
 * Run: node --test tests/browser/   (after npm ci --prefix tests/browser)
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ENV, SKIP, startServer } = require('./support');

const KEY = 'meili-client-test-key';
const MASTER = 'meili-client-master-key';
const run = {};

before(async () => {
  if (SKIP) return;
  run.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-meili-client-'));
  const index = path.join(run.tmp, 'index');
  await new Promise((resolve, reject) => {
    execFile(ENV.indexer, ['--quiet', '--index', index, path.join(ENV.source, 'corpus', 'seeds')],
      (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve()));
  });
  process.env.KB_API_KEYS = KEY; // keys never go on the command line
  process.env.KB_MASTER_KEY = MASTER;
  try {
    ({ child: run.server, url: run.api } = await startServer(index));
  } finally {
    delete process.env.KB_API_KEYS;
    delete process.env.KB_MASTER_KEY;
  }
  const { Meilisearch } = await import('meilisearch');
  run.Meilisearch = Meilisearch;
  run.client = new Meilisearch({ host: run.api, apiKey: KEY });
  run.index = run.client.index('documents');
});

after(() => {
  if (run.server) {
    run.server.removeAllListeners('exit');
    run.server.kill('SIGTERM');
  }
  if (run.tmp) fs.rmSync(run.tmp, { recursive: true, force: true });
});

async function health() {
  return (await fetch(run.api + '/health')).json();
}

test('meilisearch client: version, stats, indexes and settings', { skip: SKIP }, async () => {
  // /health in Meilisearch's shape (our fields beside it).
  assert.equal((await run.client.health()).status, 'available');
  assert.equal(await run.client.isHealthy(), true);
  const version = await run.client.getVersion();
  assert.match(version.commitSha, /^([0-9a-f]{40}|unknown)$/);
  assert.match(version.pkgVersion, /^\d+\.\d+\.\d+$/);

  const stats = await run.client.getStats();
  const h = await health();
  assert.equal(stats.indexes.documents.numberOfDocuments, h.documents);
  assert.equal(stats.lastUpdate, h.last_commit);
  assert.ok(stats.databaseSize > 0);
  assert.deepEqual(await run.index.getStats(), stats.indexes.documents);

  const indexes = await run.client.getIndexes();
  assert.equal(indexes.total, 1);
  assert.equal(indexes.results[0].uid, 'documents');
  assert.equal(indexes.results[0].primaryKey, 'id');

  const settings = await run.index.getSettings();
  assert.deepEqual(settings.filterableAttributes,
    ['theme', 'actor', 'country', 'region', 'type', 'year', 'place.lvl0', 'place.lvl1']);
  assert.ok(settings.synonyms.APD.includes('aide publique au développement'));
  assert.deepEqual(await run.index.getRankingRules(), settings.rankingRules);
  assert.equal((await run.index.getPagination()).maxTotalHits, 10000);
  // Changing one is refused with Meilisearch's error, which the client throws.
  await assert.rejects(run.index.updateRankingRules(['words']),
    (e) => e.cause && e.cause.code === 'invalid_settings_ranking_rules');
});

test('meilisearch client: add, wait, browse, update, delete, search', { skip: SKIP }, async () => {
  const enqueued = await run.index.addDocuments([
    { id: 'client-1', title: 'Jumelage entre Quimperlé et Zorgland', text: 'Un jumelage de Quimperlé avec Zorgland, en France.', type: 'actualité', date: '2024-06-01' },
    { id: 'client-2', title: 'Zorgland', text: 'Zorgland, encore.', type: 'actualité' },
  ]);
  assert.equal(enqueued.indexUid, 'documents');
  const added = await run.client.tasks.waitForTask(enqueued.taskUid);
  assert.equal(added.status, 'succeeded');
  assert.equal(added.type, 'documentAdditionOrUpdate');
  assert.equal(added.details.indexedDocuments, 2);
  assert.equal((await health()).documents, 7);

  // A filter makes the client POST /documents/fetch.
  const news = await run.index.getDocuments({ filter: 'type = actualité', limit: 10 });
  assert.ok(news.results.some((d) => d.id === 'client-1'));
  assert.ok(news.results.every((d) => d.type === 'actualité'));
  const firstTwo = await run.index.getDocuments({ limit: 2, fields: ['id', 'date'] });
  assert.equal(firstTwo.results.length, 2);
  assert.equal(firstTwo.results[0].id, 'client-1'); // newest first
  assert.deepEqual(Object.keys(firstTwo.results[0]).sort(), ['date', 'id']);

  const updated = await run.index.updateDocuments([{ id: 'client-1', title: 'Jumelage renouvelé' }]).waitTask();
  assert.equal(updated.status, 'succeeded');
  const doc = await run.index.getDocument('client-1');
  assert.equal(doc.title, 'Jumelage renouvelé');
  assert.equal(doc.date, '2024-06-01');
  assert.match(doc.text, /Quimperlé/);

  const deleted = await run.index.deleteDocument('client-2').waitTask();
  assert.equal(deleted.type, 'documentDeletion');
  assert.equal(deleted.details.deletedDocuments, 1);
  await assert.rejects(run.index.getDocument('client-2'),
    (e) => e.cause && e.cause.code === 'document_not_found');

  const found = await run.index.search('jumelage', { filter: 'country = "France"' });
  assert.ok(found.hits.some((h) => h.id === 'client-1'), JSON.stringify(found.hits));
  assert.ok(found.hits.some((h) => h.id === 'actu-etude-action-internationale-des-villes-2020-2026'));

  const failed = await run.index.addDocuments([{ id: 'client-3' }]).waitTask();
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error.code, 'invalid_record');
  const tasks = await run.client.tasks.getTasks({ statuses: ['failed'] });
  assert.deepEqual(tasks.results.map((t) => t.uid), [failed.uid]);
});

const RAYONNEMENT = ['cuf-internationalisation-attractivite-rayonnement',
  'cuf-rayonnement-attractivite-villes-moyennes'];
const ids = (r) => r.hits.map((h) => h.id).sort();

test('meilisearch client: settings updated, read, reset and waited for', { skip: SKIP }, async () => {
  try {
    await changeAndResetSettings();
  } finally { // the next tests search with the defaults
    await run.index.resetSettings().waitTask();
  }
});

async function changeAndResetSettings() {
  assert.deepEqual((await run.index.search('zorglub')).hits, []);
  const task = await run.index.updateSettings({
    synonyms: { zorglub: ['rayonnement'] }, stopWords: ['colloque'],
    faceting: { maxValuesPerFacet: 2, sortFacetValuesBy: { '*': 'alpha' } },
    pagination: { maxTotalHits: 3 },
  }).waitTask();
  assert.equal(task.status, 'succeeded');
  assert.equal(task.type, 'settingsUpdate');
  const s = await run.index.getSettings();
  assert.deepEqual(s.synonyms.zorglub, ['rayonnement']);
  assert.ok(s.synonyms.APD, 'the acronyms stay');
  assert.ok(s.stopWords.includes('colloque') && s.stopWords.includes('le'));
  assert.deepEqual(s.faceting, { maxValuesPerFacet: 2, sortFacetValuesBy: { '*': 'alpha' } });
  assert.deepEqual(s.pagination, { maxTotalHits: 3 });
  assert.deepEqual(await run.index.getPagination(), { maxTotalHits: 3 });

  // Applied from the next search on.
  assert.deepEqual(ids(await run.index.search('zorglub')), RAYONNEMENT);
  const capped = await run.index.search('', { limit: 10 });
  assert.equal(capped.hits.length, 3);
  assert.equal(capped.estimatedTotalHits, 3);
  const types = (await run.index.search('', { facets: ['type'], limit: 0 })).facetDistribution.type;
  assert.deepEqual(Object.keys(types), ['actualité', 'colloque'], 'alphabetical, two values');
  // The sub-routes: the client's PUT and PATCH.
  await run.index.updateFaceting({ sortFacetValuesBy: { type: 'count' } }).waitTask();
  // By count (actualité and programme have 2 each, colloque and étude 1), ties by label.
  assert.deepEqual((await run.index.search('', { facets: ['type'], limit: 0 })).facetDistribution.type,
    { actualité: 2, programme: 2 });
  await run.index.updateSynonyms({ zorglub: ['colloque'] }).waitTask();
  assert.deepEqual(await run.index.getSynonyms().then((x) => x.zorglub), ['colloque']);

  // A fixed setting refuses the whole request: the synonyms beside it are not changed.
  await assert.rejects(run.index.updateSettings({ synonyms: { a: ['b'] }, rankingRules: ['words'] }),
    (e) => e.cause && e.cause.code === 'invalid_settings_ranking_rules');
  await assert.rejects(run.index.updateStopWords(['deux mots']),
    (e) => e.cause && e.cause.code === 'invalid_settings_stop_words');
  assert.equal((await run.index.getSynonyms()).a, undefined);
  // A search key may not change them.
  const reader = await new run.Meilisearch({ host: run.api, apiKey: MASTER })
    .createKey({ actions: ['search', 'settings.get'], indexes: ['documents'], expiresAt: null });
  const readOnly = new run.Meilisearch({ host: run.api, apiKey: reader.key }).index('documents');
  await assert.rejects(readOnly.updatePagination({ maxTotalHits: 1 }),
    (e) => e.response && e.response.status === 403);

  const reset = await run.index.resetSettings().waitTask();
  assert.equal(reset.status, 'succeeded');
  const back = await run.index.getSettings();
  assert.equal(back.synonyms.zorglub, undefined);
  assert.ok(!back.stopWords.includes('colloque'));
  assert.deepEqual(back.pagination, { maxTotalHits: 10000 });
  assert.deepEqual(back.faceting, { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } });
  assert.ok((await run.index.search('', { limit: 10 })).hits.length > 3);
}

test('meilisearch client: search parameters', { skip: SKIP }, async () => {
  // hybrid: semanticRatio 0 is the lexical ranking; this index has no vectors for the rest.
  const plainSearch = await run.index.search('rayonnement');
  assert.deepEqual((await run.index.search('rayonnement', { hybrid: { semanticRatio: 0, embedder: 'default' } })).hits
    .map((h) => h.id), plainSearch.hits.map((h) => h.id));
  await assert.rejects(run.index.search('rayonnement', { hybrid: { semanticRatio: 0.5, embedder: 'default' } }),
    (e) => e.cause && e.cause.code === 'no_vectors' && e.response.status === 409);

  // Crops: three words around the match, marked, the marker where the title was cut.
  const cropped = await run.index.search('rayonnement', {
    attributesToCrop: ['title:3'], attributesToHighlight: ['title'], cropMarker: '…',
  });
  assert.ok(cropped.hits.length > 0);
  for (const h of cropped.hits) {
    const t = h._formatted.title;
    assert.match(t, /<em>rayonnement<\/em>/i);
    assert.equal(t.replace(/<\/?em>|…/g, ' ').trim().split(/\s+/).length, 3, t);
    assert.ok(h.title.length > t.length);
  }

  // showRankingScore: from 0 to 1, the best first.
  const scored = await run.index.search('villes internationales', { showRankingScore: true, matchingStrategy: 'frequency' });
  const scores = scored.hits.map((h) => h._rankingScore);
  assert.ok(scores.length > 1);
  assert.equal(scores[0], 1);
  assert.ok(scores.every((x, i) => x > 0 && x <= 1 && (i === 0 || x <= scores[i - 1])), String(scores));

  // matchingStrategy: all never relaxes; last does when every word finds nothing.
  assert.equal((await run.index.search('rayonnement zorglub', { matchingStrategy: 'all' })).hits.length, 0);
  assert.deepEqual(ids(await run.index.search('rayonnement zorglub', { matchingStrategy: 'last' })), RAYONNEMENT);

  // Facet values on the hits, under the names facets and filters use; region > country.
  const faceted = await run.index.search('', { facets: ['country', 'place.lvl0', 'place.lvl1', 'year'], limit: 20 });
  const fd = faceted.facetDistribution;
  assert.equal(fd['place.lvl1']["Europe de l'Ouest > France"], fd.country.France);
  assert.equal(fd['place.lvl0']["Europe de l'Ouest"], fd.country.France);
  for (const h of faceted.hits) {
    assert.equal(h.place.lvl1.length, h.country.length);
    if (h.country.includes('France')) assert.deepEqual(h.place.lvl0, ["Europe de l'Ouest"]);
    if (h.year !== null) {
      assert.ok(h.year >= faceted.facetStats.year.min && h.year <= faceted.facetStats.year.max);
    }
  }
  assert.ok(faceted.facetStats.year.min <= faceted.facetStats.year.max);
  const inFrance = await run.index.search('', { filter: `place.lvl1 = "Europe de l'Ouest > France"`, hitsPerPage: 0 });
  assert.equal(inFrance.totalHits, fd.country.France);
  const values = await run.index.searchForFacetValues({ facetName: 'place.lvl1', facetQuery: 'fra' });
  assert.deepEqual(values.facetHits.map((v) => v.value), ["Europe de l'Ouest > France"]);
});

test('tenant token: a scoped key, generateTenantToken, and no search leaves the filter', { skip: SKIP }, async () => {
  const countries = ['SN', 'SN', 'SN', 'ML', 'ML', 'FR'];
  await run.index.addDocuments(countries.map((c, i) => ({
    id: `token-${i}`, title: `Coopération décentralisée ${i}`, countries: [c],
    text: `Coopération décentralisée numéro ${i} : eau potable et jumelage.`, type: i % 2 ? 'étude' : 'programme',
  }))).waitTask();
  const master = new run.Meilisearch({ host: run.api, apiKey: MASTER });
  const key = await master.createKey({ name: 'Partenaire Dakar', actions: ['search'], indexes: ['documents'], expiresAt: null });
  assert.deepEqual(key.actions, ['search']);
  assert.deepEqual(key.indexes, ['documents']);
  const { generateTenantToken } = await import('meilisearch/token');
  const token = await generateTenantToken({ apiKey: key.key, apiKeyUid: key.uid,
    searchRules: { documents: { filter: 'country = SN' } }, expiresAt: new Date(Date.now() + 3600e3) });
  const partner = new run.Meilisearch({ host: run.api, apiKey: token }).index('documents');
  const inside = (await run.index.search('', { filter: 'country = SN', hitsPerPage: 0 })).totalHits;
  assert.equal(inside, 3);
  const total = async (params) => (await partner.search('', { hitsPerPage: 100, facets: ['country'], ...params }));
  const check = (r, expected) => {
    assert.equal(r.totalHits, expected, JSON.stringify(r.facetDistribution));
    assert.ok(r.hits.every((h) => h.country.includes('Sénégal')), JSON.stringify(r.hits.map((h) => h.country)));
    // The country counts leave the request's own country choice out (disjunctive facets), never
    // the token's: Sénégal alone, or nothing.
    for (const [country, n] of Object.entries(r.facetDistribution.country)) {
      assert.equal(country, 'Sénégal');
      assert.ok(n <= inside);
    }
  };
  check(await total({}), inside);
  check(await total({ filter: 'country = ML' }), 0);
  check(await total({ filter: 'country = SN OR country = ML' }), inside);
  check(await total({ filter: [['country = ML', 'country = FR', 'country = SN']] }), inside);
  check(await total({ filter: 'NOT country = SN' }), 0);
  check(await total({ filter: 'type = programme' }), 2);
  // Fields the Meilisearch API does not have (Algolia's facetFilters) widen nothing either.
  const raw = await fetch(run.api + '/indexes/documents/search', { method: 'POST',
    headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ q: '', facetFilters: [['country:ML']], hitsPerPage: 100 }) }).then((r) => r.json());
  assert.equal(raw.totalHits, inside);
  const multi = await new run.Meilisearch({ host: run.api, apiKey: token }).multiSearch({ queries: [
    { indexUid: 'documents', q: 'jumelage', filter: 'country = ML', limit: 50 },
    { indexUid: 'documents', q: '', limit: 50 },
  ] });
  assert.equal(multi.results[0].hits.length, 0);
  assert.ok(multi.results[1].hits.length === inside && multi.results[1].hits.every((h) => h.country.includes('Sénégal')));
  const values = await partner.searchForFacetValues({ facetName: 'country', facetQuery: '' });
  assert.deepEqual(values.facetHits, [{ value: 'Sénégal', count: inside }]);
  // The document routes answer records, not searches: a token has no access there.
  await assert.rejects(partner.getDocuments({ limit: 5 }), (e) => e.response && [401, 403].includes(e.response.status));
  await assert.rejects(partner.getDocument('token-3'), (e) => e.response && [401, 403].includes(e.response.status));
});
