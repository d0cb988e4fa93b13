'use strict';
/*
 * Answers a researcher can trust (issue 16), on the page in a real browser against the real
 * kb-indexer and kb-search-server:
 *   - a known country without documents is said so, never "corrected" into a common word;
 *   - a hit found through a concept alone says so, its expansion words marked apart;
 *   - suggestions say how many documents they lead to, under the page's filters.
 * Environment: see browser.test.js (ctest sets it).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');

const { SKIP, openCheckedPage, plain, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-trust-');

test('page: a country without documents is said so, never corrected', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context, run.api + '/?q=' + encodeURIComponent('Sénégal'));
  await settled(page);
  const notice = plain(await page.locator('#did-you-mean').textContent());
  assert.match(notice, /Aucun document sur « Sénégal » \(pays\)/);
  assert.doesNotMatch(notice, /général/);
  assert.equal(await page.locator('#did-you-mean').isHidden(), false);
  await run.finish(page, 'trust-missing-country.png');

  // With other words, the rest of the query is searched and the notice stays.
  const rest = await openCheckedPage(run.context, run.api + '/?q=' +
    encodeURIComponent('coopération décentralisée Sénégal'));
  await settled(rest);
  assert.match(plain(await rest.locator('#did-you-mean').textContent()),
    /Aucun document sur « Sénégal » \(pays\) : résultats pour le reste de la recherche/);
  assert.ok(await rest.locator('#results .result').count() > 0);
  await run.finish(rest, 'trust-missing-country-rest.png');
});

test('page: a hit found through a concept alone says which, its words marked apart',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=' +
      encodeURIComponent('eau et assainissement') + '&size=50');
    await settled(page);
    const via = page.locator('#results .result-via');
    assert.ok(await via.count() > 0);
    assert.match(plain(await via.first().textContent()), /^via le thème « eau et assainissement »/);
    // Expansion words are <mark class="via">, never the raw tag as text.
    assert.ok(await page.locator('#results .snippet mark.via').count() > 0);
    const text = await page.locator('#results').textContent();
    assert.doesNotMatch(text, /<mark|class="via"/);
    await run.finish(page, 'trust-via.png');
  });

test('page: suggestions say how many documents they lead to, under the filters',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/');
    await page.locator('#q').fill('coop');
    const options = page.locator('#q-suggestions [role="option"]');
    await options.first().waitFor();
    const first = plain(await options.first().textContent());
    assert.match(first, /\d+\+? documents?$/);
    await page.close();

    // Under a filter no document passes, nothing is suggested: the page sends its filters.
    const filtered = await openCheckedPage(run.context, run.api + '/?q=&country=SN');
    await settled(filtered);
    const asked = filtered.waitForRequest((r) => r.url().includes('/suggest?'));
    await filtered.locator('#q').fill('coop');
    const request = await asked;
    assert.match(request.url(), /country=SN/);
    await filtered.waitForTimeout(500);
    assert.equal(await filtered.locator('#q-suggestions [role="option"]').count(), 0);
    await run.finish(filtered, 'trust-suggest-filtered.png');
  });
