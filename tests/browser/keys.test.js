'use strict';
/*
 * Issue 21, keys with the page and the widget, on a server whose reads need a key
 * (--read-requires-key) and that has a master key:
 *   - the official `meilisearch` client creates a search key and makes a tenant token with its
 *     own generateTenantToken; the widget with token="…" shows the token's documents only, and
 *     a visitor ticking another value stays inside them;
 *   - the page, refused (401), asks for the key, keeps it for the session and then searches.
 * Screenshots go to build/artifacts/.
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');

const {
  SKIP, makeRunDirs, indexCorpusWith, startServer, openBrowser, tearDown, plain, settled,
} = require('./support');

const MASTER = 'master-key-for-browser-tests';
const run = {};

before(async () => {
  if (SKIP) return;
  ({ tmp: run.tmp, artifacts: run.artifacts } = makeRunDirs('kb-browser-keys-'));
  const index = await indexCorpusWith(run.tmp, ['title: "Étude de test"'], ['Un texte de test.']);
  process.env.KB_MASTER_KEY = MASTER; // keys never go on the command line
  ({ child: run.server, url: run.api } = await startServer(index,
    ['--web-root', path.join(process.env.KB_SOURCE_DIR, 'web'), '--read-requires-key', 'true',
      '--keys-file', 'memory']));
  delete process.env.KB_MASTER_KEY;
  run.context = await openBrowser(run.tmp);
  const { Meilisearch } = await import('meilisearch');
  const { generateTenantToken } = await import('meilisearch/token');
  const client = new Meilisearch({ host: run.api, apiKey: MASTER });
  run.key = await client.createKey({ name: 'partenaire', actions: ['search'], indexes: ['documents'], expiresAt: null });
  run.token = await generateTenantToken({
    apiKey: run.key.key, apiKeyUid: run.key.uid,
    searchRules: { documents: { filter: 'country = CA' } },
    expiresAt: new Date(Date.now() + 3600 * 1000),
  });
});

after(async () => {
  await tearDown({ context: run.context, server: run.server, tmp: run.tmp });
});

async function api(p, key) {
  const res = await fetch(run.api + p, { headers: { Authorization: 'Bearer ' + key } });
  assert.equal(res.status, 200, p);
  return res.json();
}

test('keys: the meilisearch client made the key; reads need one', { skip: SKIP }, async () => {
  assert.equal(run.key.actions[0], 'search');
  assert.equal((await fetch(run.api + '/search?q=')).status, 401);
  assert.equal((await fetch(run.api + '/search?q=', { headers: { Authorization: 'Bearer ' + run.token } })).status, 200);
});

test('widget: a tenant token keeps every search inside its filter', { skip: SKIP }, async () => {
  const inside = await api('/search?q=&country=CA&size=1', MASTER);
  const all = await api('/search?q=&size=1', MASTER);
  assert.ok(inside.total > 0 && inside.total < all.total);
  const html = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Partenaire</title>
    <script src="${run.api}/widget.js" defer></script></head>
    <body><h1>Partenaire</h1><kb-search endpoint="${run.api}" token="${run.token}"></kb-search></body></html>`;
  const site = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const page = await run.context.newPage();
  page.once('close', () => site.close());
  await page.goto(`http://127.0.0.1:${site.address().port}/`);
  const status = page.locator('kb-search .status');
  await page.waitForFunction(() => {
    const s = document.querySelector('kb-search').shadowRoot.querySelector('.status');
    return s && /résultat|Aucun/.test(s.textContent) && !/en cours/.test(s.textContent);
  });
  const count = (s) => (/^Aucun/.test(s) ? 0 : Number(s.replace(/\s/g, '').match(/(\d+)/)[1]));
  assert.equal(count(plain(await status.textContent())), inside.total);
  // A visitor ticking a type: still inside the token's country.
  const box = page.locator('kb-search .facets input[data-facet="type"]').first();
  const type = await box.getAttribute('value');
  await box.check();
  const both = await api('/search?q=&country=CA&type=' + encodeURIComponent(type) + '&size=1', MASTER);
  await page.waitForFunction((n) => {
    const s = document.querySelector('kb-search').shadowRoot.querySelector('.status').textContent;
    return new RegExp('^' + n + '\\D').test(s.replace(/\s/g, ''));
  }, both.total);
  await page.screenshot({ path: path.join(run.artifacts, 'keys-widget-token.png'), fullPage: true });
  await page.close();
});

test('page: refused, it asks for the key, then searches with it', { skip: SKIP }, async () => {
  const page = await run.context.newPage();
  await page.goto(run.api + '/?q=jumelage');
  const form = page.locator('#error form.key-form');
  await form.waitFor({ state: 'visible' });
  assert.match(plain(await page.locator('#error').textContent()), /clé d’accès/);
  await page.screenshot({ path: path.join(run.artifacts, 'keys-page-asks.png'), fullPage: true });
  await page.locator('#api-key').fill(run.key.key);
  await Promise.all([page.waitForNavigation(), page.locator('#error form button[type="submit"]').click()]);
  await settled(page);
  const expected = await api('/search?q=jumelage&size=1', MASTER);
  assert.equal(await page.locator('#error').isVisible(), false);
  const s = plain(await page.locator('#status').textContent());
  assert.equal(Number(s.replace(/\s/g, '').match(/^(\d+)/)[1]), expected.total);
  await page.screenshot({ path: path.join(run.artifacts, 'keys-page-with-key.png'), fullPage: true });
  await page.close();
});
