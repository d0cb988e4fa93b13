'use strict';
/*
 * The page speaks French, and exports a selection (issue 16), in a real browser (Debian's
 * chromium driven by playwright-core) against the real kb-indexer and kb-search-server:
 *   - every API error shown on the page is French (the API's own messages are English);
 *   - a zero-result answer under filters names them by their labels (« Pays : Sénégal »);
 *   - region headings are the catalog's labels (« Afrique de l'Ouest »), never folded keys;
 *   - results ticked on several pages are exported together (GET /cite?ids=…).
 * Environment: see browser.test.js (ctest sets it).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');

const { SKIP, openCheckedPage, plain, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-fr-');

/* Words of the API's English messages that a French sentence never contains. */
const ENGLISH = /\b(parameter|must|between|got|unknown|is after|beyond|results?|refine|invalid)\b/i;

test('page: every API error is shown in French', { skip: SKIP }, async () => {
  const cases = [
    // The case of the issue: the page number is past the API's limit.
    ['/?q=coop%C3%A9ration&page=99999',
      'La page 99 999 n’existe pas : choisissez une page entre 1 et 10 000.'],
    ['/?q=eau&year_from=20', 'L’année de début doit être une année à 4 chiffres (valeur reçue : « 20 »).'],
    ['/?q=eau&type=zzz', 'Valeur inconnue pour le filtre Type : « zzz ». Retirez ce filtre.'],
    ['/?q=eau&year_from=2020&year_to=2010', null], // swapped by the page, or said in French
    ['/?q=eau&page=2000&size=10', 'La page 2 000 est au-delà des 10 000 premiers résultats : précisez la recherche ou ajoutez un filtre.'],
    ['/?doc=nope', 'Ce document n’existe pas ou a été retiré de l’index.'],
  ];
  for (const [url, expected] of cases) {
    const page = await openCheckedPage(run.context, run.api + url);
    await settled(page);
    const error = page.locator('#error');
    if (await error.isVisible()) {
      const text = plain(await error.textContent());
      assert.doesNotMatch(text, ENGLISH, `${url}: the error is in English: ${text}`);
      if (expected) assert.equal(text, plain(expected), url);
    } else {
      assert.equal(expected, null, `${url}: an error was expected on the page`);
    }
    page.problems.errors = page.problems.errors.filter((e) => !/status of 40\d/.test(e));
    await run.finish(page, 'fr-error-' + url.replace(/[^a-z0-9]+/gi, '_') + '.png');
  }
});

test('page: a zero-result answer under filters names them by their labels',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=eau&country=SN');
    await settled(page);
    assert.equal(plain(await page.locator('#status').textContent()),
      'Aucun résultat pour « eau » avec le filtre Pays : Sénégal');
    // The chip keeps the accent: the label, not the code "SN".
    assert.equal(plain(await page.locator('#active-filters .chip').textContent()),
      'Retirer le filtre Pays : Sénégal×');
    // The same words without filters: a plain « Aucun résultat ».
    await page.goto(run.api + '/?q=zorglubienneinconnue');
    await settled(page);
    assert.equal(plain(await page.locator('#status').textContent()),
      'Aucun résultat pour « zorglubienneinconnue »');
    // Two filters: both named, each by its label (the type keeps its accent too).
    await page.goto(run.api + '/?q=eau&country=SN&type=' + encodeURIComponent('texte de référence'));
    await settled(page);
    assert.equal(plain(await page.locator('#status').textContent()),
      'Aucun résultat pour « eau » avec les filtres Pays : Sénégal et Type : texte de référence');
    await run.finish(page, 'fr-zero-results-filter.png');
  });

test('page: region headings are the catalog labels, with capitals and apostrophes',
  { skip: SKIP }, async () => {
    const catalog = await (await fetch(run.api + '/facets')).json();
    const known = new Set(catalog.facets.region.map((r) => r.label));
    known.add('Afrique de l\'Ouest'); // Senegal's region: no document, but a label
    known.add('Autres pays');
    const page = await openCheckedPage(run.context, run.api + '/?q=eau&country=SN');
    await settled(page);
    // A region heading is its own box (ticking it filters on the region): its name is the label.
    const headings = (await page.locator('#facet-country .facet-group-label').evaluateAll((ps) =>
      ps.map((p) => (p.querySelector('.facet-label') || p).textContent))).map(plain);
    assert.ok(headings.includes('Afrique de l\'Ouest'),
      'the ticked country sits under its region: ' + headings.join(' | '));
    assert.ok(headings.includes('Europe de l\'Ouest'), headings.join(' | '));
    for (const h of headings) {
      assert.ok(known.has(h), `heading « ${h} » is not a region label`);
      assert.doesNotMatch(h, /^[a-z]+( [a-z]+)* l [a-z]+$|-/, `heading « ${h} » is a folded key`);
    }
    await run.finish(page, 'fr-region-headings.png');
  });

test('page: results ticked on two pages are exported together', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context, run.api + '/?q=' + encodeURIComponent('coopération décentralisée'));
  await settled(page);
  const bar = page.locator('#selection-cite');
  assert.equal(await bar.isVisible(), false, 'no selection, no export bar');
  const first = page.locator('#results input[data-select-id]').first();
  const firstId = await first.getAttribute('data-select-id');
  await first.check();
  await bar.waitFor();
  assert.match(plain(await bar.textContent()), /^1 document sélectionné — Exporter la sélection : BibTeX/);

  await page.locator('#next-page').click();
  await page.waitForURL((u) => u.searchParams.get('page') === '2');
  await settled(page);
  const second = page.locator('#results input[data-select-id]').first();
  const secondId = await second.getAttribute('data-select-id');
  assert.notEqual(secondId, firstId);
  await second.check();
  assert.match(plain(await bar.textContent()), /^2 documents sélectionnés/);

  const href = await bar.locator('a[data-selection-format="bibtex"]').getAttribute('href');
  assert.equal(await bar.locator('a[data-selection-format="bibtex"]').getAttribute('download'),
    'passerelle-selection.bib');
  const bib = await (await fetch(run.api + href)).text();
  assert.equal((bib.match(/^@/gm) || []).length, 2, bib);
  const csl = await (await fetch(run.api + await bar.locator('a[data-selection-format="csl-json"]')
    .getAttribute('href'))).json();
  assert.deepEqual(csl.map((c) => c.id), [firstId, secondId]);
  // An article of the CGCT cites as the code and its number.
  for (const c of csl.filter((x) => x.type === 'legislation')) {
    assert.match(c.title, /^Code général des collectivités territoriales, art\. /);
  }

  // Back to page 1: its box is still ticked; « Vider la sélection » empties it.
  await page.goBack();
  await settled(page);
  assert.equal(await page.locator(`#results input[data-select-id="${firstId}"]`).isChecked(), true);
  await bar.locator('button[data-clear-selection]').click();
  assert.equal(await bar.isVisible(), false);
  assert.equal(await page.locator('#results input[data-select-id]:checked').count(), 0);
  await run.finish(page, 'fr-selection-export.png');
});
