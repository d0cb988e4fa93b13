'use strict';
/*
 * The official `meilisearch` JS client (0.57) against the real kb-search-server on corpus/seeds:
 * version, stats, indexes and settings, then writes answered as tasks it waits for, browsing
 * with a filter, a partial update, a deletion and a filtered search. No browser: this file
 * needs only the programs (support.js ENV), and skips with the others when they are not given.
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
  try {
    ({ child: run.server, url: run.api } = await startServer(index));
  } finally {
    delete process.env.KB_API_KEYS;
  }
  const { Meilisearch } = await import('meilisearch');
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
