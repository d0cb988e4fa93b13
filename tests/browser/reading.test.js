'use strict';
/*
 * Issue 20, what the page shows of an answer and of a document, in a real browser (set-up:
 * browser.test.js), each checked against the API's own answer, at 1280 and 375 px:
 *   - the expansions (« Recherche élargie : APD → … »), each removable (the word is then
 *     quoted, and the answer is the API's for the quoted query);
 *   - « Pourquoi ce résultat ? »: the hit's score and matched terms from explain=true;
 *   - authors and year first in a hit's line;
 *   - the document view's themes, actors and countries as chips that filter, and a code
 *     article's place in its code;
 *   - a search box over long facet lists; regions ticked as parents of their countries.
 * Screenshots of each state go to build/artifacts/.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');

const { SKIP, openCheckedPage, plain, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-reading-', ['author: "Cités Unies France; Jeanne Dupont"']);
const SIZES = [{ width: 1280, height: 900 }, { width: 375, height: 800 }];

async function api(path) {
  const res = await fetch(run.api + path);
  assert.equal(res.status, 200, path);
  return res.json();
}

/* The status line's count (« 1 234 résultats » → 1234). */
async function shownTotal(page) {
  const status = plain(await page.locator('#status').textContent());
  if (/^Aucun résultat/.test(status)) return 0;
  return Number(status.replace(/ /g, '').match(/^\D*(\d+)/)[1]);
}

/* On a phone the filters are folded away: open them. */
async function openFilters(page) {
  if (await page.locator('#filters-form').isVisible()) return;
  await page.locator('#filters-toggle').click();
}

async function docShown(page) {
  await page.waitForFunction(() => {
    const view = document.getElementById('doc-view');
    const title = document.getElementById('doc-title').textContent;
    return !view.hidden && !view.hasAttribute('aria-busy') && title && !/^Chargement/.test(title);
  });
}

for (const size of SIZES) {
  const w = size.width;

  test(`page ${w}px: expansions are shown and each can be removed`, { skip: SKIP }, async () => {
    const answer = await api('/search?q=APD&size=1');
    assert.ok(answer.expansions.length > 0, 'the API widens APD');
    const page = await openCheckedPage(run.context, run.api + '/?q=APD', size);
    await settled(page);
    const shown = plain(await page.locator('#expansions').textContent());
    assert.match(shown, /^Recherche élargie : APD → aide publique au développement \(thème\)/);
    await run.finish(page, `reading-expansions-${w}.png`);
  });

  test(`page ${w}px: removing an expansion quotes the word`, { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=APD', size);
    await settled(page);
    await page.locator('#expansions a.expansion-remove').first().click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '"APD"');
    await settled(page);
    assert.equal(await page.locator('#expansions').isVisible(), false);
    assert.equal(await page.locator('#q').inputValue(), '"APD"');
    const literal = await api('/search?q=' + encodeURIComponent('"APD"') + '&size=1');
    assert.deepEqual(literal.expansions, []);
    assert.equal(await shownTotal(page), literal.total);
    await run.finish(page, `reading-expansion-removed-${w}.png`);
  });

  test(`page ${w}px: « Pourquoi ce résultat ? » shows the score and the terms`, { skip: SKIP }, async () => {
    const explained = await api('/search?q=jumelage&explain=true');
    const first = explained.hits[0];
    const page = await openCheckedPage(run.context, run.api + '/?q=jumelage', size);
    await settled(page);
    const why = page.locator('#results li.result').first().locator('details.why');
    assert.equal(await why.locator('.why-body').isVisible(), false, 'closed at first');
    await why.locator('summary').click();
    await page.waitForFunction(() => document.querySelector('details.why[data-loaded]'));
    const text = plain(await why.locator('.why-body').innerText());
    const score = Number(first.score).toLocaleString('fr-FR', { maximumFractionDigits: 3 });
    assert.equal(plain(await why.locator('.why-list dt').first().textContent()), 'Score');
    assert.equal(plain(await why.locator('.why-list dd').first().textContent()), plain(score));
    assert.equal(await why.locator('.why-body li').count(), first.matched_terms.length);
    assert.match(text, /mot exact « jumelage »|même racine « jumel/);
    await run.finish(page, `reading-explain-${w}.png`);
  });

  test(`page ${w}px: authors and year come first in a hit`, { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=' + encodeURIComponent('étude de test'), size);
    await settled(page);
    const hit = page.locator('#results li.result', { has: page.locator('a[data-doc-id="test-xss-document"]') });
    const meta = hit.locator('.result-meta');
    assert.equal(plain(await meta.locator('.result-authors').textContent()), 'Cités Unies France, Jeanne Dupont');
    assert.match(plain(await meta.textContent()), /^Cités Unies France, Jeanne Dupont · 4 mai 2021 · étude/);
    await run.finish(page, `reading-authors-${w}.png`);
  });

  test(`page ${w}px: a document's facets are chips that filter, and an article shows its place`, { skip: SKIP }, async () => {
    const id = 'code-general-des-collectivites-territoriales/L1115-1';
    const doc = await api('/documents/' + encodeURIComponent(id));
    const page = await openCheckedPage(run.context, run.api + '/?q=coop%C3%A9ration&doc=' + encodeURIComponent(id), size);
    await docShown(page);
    const chips = page.locator('#doc-meta a.chip');
    assert.equal(await chips.count(), doc.facets.length);
    const meta = plain(await page.locator('#doc-meta').textContent());
    assert.match(meta, /Place dans le code\s*Partie législative › Première partie › Livre Ier › Titre unique › Chapitre V/);
    const theme = doc.facets.find((f) => f.facet === 'theme');
    await run.finish(page, `reading-document-chips-${w}.png`);

    const again = await openCheckedPage(run.context, run.api + '/?q=coop%C3%A9ration&doc=' + encodeURIComponent(id), size);
    await docShown(again);
    await again.locator(`#doc-meta a.chip[data-filter-value="${theme.id}"]`).click();
    await again.waitForFunction((t) => new URLSearchParams(location.search).getAll('theme').includes(t), theme.id);
    await settled(again);
    const url = new URL(again.url());
    assert.equal(url.searchParams.get('doc'), null);
    assert.equal(url.searchParams.get('q'), 'coopération');
    const filtered = await api('/search?q=coop%C3%A9ration&theme=' + encodeURIComponent(theme.id) + '&size=1');
    assert.equal(await shownTotal(again), filtered.total);
    await run.finish(again, `reading-document-chip-filtered-${w}.png`);
  });

  test(`page ${w}px: a long facet list has a search box`, { skip: SKIP }, async () => {
    const all = await api('/search?q=&facets=true&size=1');
    const actors = all.facets.actor;
    assert.ok(actors.length > 12, 'a long actor list');
    const page = await openCheckedPage(run.context, run.api + '/', size);
    await settled(page);
    await openFilters(page);
    const box = page.locator('#facet-search-actor');
    await box.fill('cit');
    const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const expected = actors.filter((a) => fold(a.label).split(/[^a-z0-9]+/).some((x) => x.startsWith('cit')) ||
      fold(a.label).startsWith('cit'));
    assert.ok(expected.length > 0);
    const labels = await page.locator('#facet-actor .facet-values .facet-label').allTextContents();
    assert.deepEqual(labels, expected.map((a) => a.label));
    assert.equal(await box.evaluate((b) => b === document.activeElement), true, 'the box keeps the focus');
    await run.finish(page, `reading-facet-search-${w}.png`);

    const none = await openCheckedPage(run.context, run.api + '/', size);
    await settled(none);
    await openFilters(none);
    await none.locator('#facet-search-actor').fill('zzzq');
    assert.match(plain(await none.locator('#facet-actor .facet-none').textContent()), /^Aucune valeur ne correspond à « zzzq »/);
    await none.locator('#facet-search-actor').fill('cit');
    await none.locator('#facet-actor .facet-values input').first().check();
    await none.waitForFunction((v) => new URLSearchParams(location.search).getAll('actor').includes(v), expected[0].id);
    await settled(none);
    await run.finish(none, `reading-facet-search-ticked-${w}.png`);
  });

  test(`page ${w}px: a region is ticked as the parent of its countries`, { skip: SKIP }, async () => {
    const all = await api('/search?q=&facets=true&size=1');
    const region = all.facets.region[0];
    const page = await openCheckedPage(run.context, run.api + '/', size);
    await settled(page);
    await openFilters(page);
    const box = page.locator(`#facet-country input[data-facet="region"][value="${region.id}"]`);
    assert.equal(await box.count(), 1);
    const label = plain(await page.locator(`label[for="${await box.getAttribute('id')}"]`).textContent());
    assert.ok(label.startsWith(region.label), label);
    await box.check();
    await page.waitForFunction((r) => new URLSearchParams(location.search).get('region') === r, region.id);
    await settled(page);
    const filtered = await api('/search?q=&region=' + encodeURIComponent(region.id) + '&size=1');
    assert.equal(await shownTotal(page), filtered.total);
    assert.equal(await page.locator(`#facet-country input[data-facet="region"][value="${region.id}"]`).isChecked(), true);
    await run.finish(page, `reading-region-parent-${w}.png`);
  });
}
