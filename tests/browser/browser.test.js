'use strict';
/*
 * End-to-end tests of the search page (web/index.html + app.js) and the embeddable widget
 * (web/widget/, served as /widget.js) in a real browser: Debian's chromium driven by playwright-core.
 *
 * Builds nothing: the programs and the sources come from the environment (ctest sets them).
 *   KB_INDEXER_BIN   path of kb-indexer
 *   KB_SERVER_BIN    path of kb-search-server
 *   KB_SOURCE_DIR    the repository (corpus/ and web/ are read from it)
 *   KB_ARTIFACT_DIR  where screenshots go (default: a temporary directory)
 *   KB_CHROMIUM      the browser (default /usr/bin/chromium)
 *
 * Run: node --test tests/browser/   (after npm ci --prefix tests/browser)
 */
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const {
  ENV, SKIP, XSS_TITLE, XSS_WORD, startServer, makeRunDirs, indexCorpusWith, tearDown,
  openBrowser, openCheckedPage, assertClean, contrastFailures,
} = require('./support');
const { startPartner } = require('./partner');

let tmp;             // temporary directory of this run
let artifacts;       // screenshots
let server;          // the kb-search-server child process
let api;             // http://127.0.0.1:PORT (the search server: page + API + widget.js)
let partner;         // http://127.0.0.1:PORT2 (another origin embedding the widget)
let partnerServer;
let context;         // the browser (persistent context on a fresh profile)

/* ---------------------------------------------------------------- helpers */

function openPage(url, viewport) {
  return openCheckedPage(context, url, viewport);
}

/* The end of a page test: its screenshot, no dialog nor script error, the page closed. */
async function finish(page, screenshot) {
  await shot(page, screenshot);
  assertClean(page);
  await page.close();
}

/* Waits until the page has finished its request and shown the outcome. */
async function settled(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    const s = document.getElementById('status').textContent;
    return r && !r.hasAttribute('aria-busy') && s !== '' && !/en cours|Chargement/.test(s);
  });
}

function totalOf(status) {
  const m = /^(?:Environ |Plus de )?([\d\s\u00a0\u202f]+) résultats?/.exec(status);
  return m ? Number(m[1].replace(/\D/g, '')) : (/^Aucun/.test(status) ? 0 : NaN);
}

async function statusTotal(page) {
  return totalOf(await page.locator('#status').textContent());
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth &&
    document.body.scrollWidth <= window.innerWidth);
}

async function until(fn, ms = 10000) {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + fn);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, name), fullPage: true });
}

/* ---------------------------------------------------------------- set-up */

before(async () => {
  if (SKIP) return;
  ({ tmp, artifacts } = makeRunDirs('kb-browser-'));

  // The corpus plus one hostile document, indexed together.
  const index = await indexCorpusWith(tmp, [
    `title: "${XSS_TITLE}"`,
    'publisher: "<b>Éditeur</b> & fils"',
  ], [
    `Un document ${XSS_WORD} de test sur la coopération décentralisée de la France.`,
    '',
    `Son texte contient du balisage : <script>alert(2)</script> et <b>gras</b>, <mark>faux</mark>, ${XSS_WORD} encore.`,
  ]);
  ({ child: server, url: api } = await startServer(index, ['--web-root', path.join(ENV.source, 'web')]));
  ({ srv: partnerServer, url: partner } = await startPartner(api));
  context = await openBrowser(tmp);
});

after(async () => {
  await tearDown({ context, site: partnerServer, server, tmp });
  if (artifacts) console.log(`# screenshots in ${artifacts}`);
});

/* ---------------------------------------------------------------- the page */

test('page: type a query, pick a suggestion with the keyboard, results show',
  { skip: SKIP }, async () => {
    const page = await openPage(api + '/');
    await settled(page);
    const q = page.locator('#q');
    await q.focus();
    await q.pressSequentially('coop', { delay: 40 });
    const options = page.locator('#q-suggestions [role="option"]');
    await options.first().waitFor();
    assert.equal(await q.getAttribute('aria-expanded'), 'true');
    assert.ok(await options.count() >= 2);

    // Escape closes the list, ArrowDown opens it again.
    await page.keyboard.press('Escape');
    await page.locator('#q-suggestions').waitFor({ state: 'hidden' });
    assert.equal(await q.getAttribute('aria-expanded'), 'false');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const active = await q.getAttribute('aria-activedescendant');
    assert.equal(active, 'q-opt-1', 'second option active');
    assert.equal(await page.locator('#q-opt-1').getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator('#q-opt-0').getAttribute('aria-selected'), 'false');
    await page.keyboard.press('ArrowUp');
    assert.equal(await q.getAttribute('aria-activedescendant'), 'q-opt-0');
    const picked = (await page.locator('#q-opt-0 .suggestion-text').textContent()).trim();
    await page.keyboard.press('Enter');

    await page.waitForURL((u) => u.search !== '');
    await settled(page);
    assert.equal(await q.getAttribute('aria-expanded'), 'false');
    assert.ok(await page.locator('#results > li.result').count() > 0, 'results are listed');
    assert.ok(await statusTotal(page) > 0, 'the live region announces the number of results');
    assert.equal(await page.locator('#status').getAttribute('aria-live'), 'polite');
    // The pick is either the query or a filter chip naming it.
    const url = new URL(page.url());
    const chips = await page.locator('#active-filters').textContent();
    assert.ok(url.searchParams.get('q') === picked || chips.includes(picked),
      `picked "${picked}" is applied (${url.search})`);
    await finish(page, 'page-suggestion.png');
  });

test('page: ticking two facet values changes counts and results; back button restores',
  { skip: SKIP }, async () => {
    const page = await openPage(api + '/?q=');
    await settled(page);
    const all = await statusTotal(page);
    assert.ok(all > 5000, `browse shows every document (${all})`);
    const firstBefore = await page.locator('#results a[data-doc-id]').first().getAttribute('data-doc-id');
    const typeCount = async () => page.locator('#facet-type .count').first().textContent();
    const typeBefore = await typeCount();

    // First value: a theme, ticked with the keyboard; focus stays on the box.
    const theme = page.locator('#facet-theme input[type="checkbox"]').first();
    const themeId = await theme.getAttribute('id');
    await theme.focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/theme=/);
    await settled(page);
    const afterTheme = await statusTotal(page);
    assert.ok(afterTheme > 0 && afterTheme < all, `theme narrows (${afterTheme} < ${all})`);
    assert.equal(await page.evaluate(() => document.activeElement.id), themeId, 'focus kept');
    assert.ok(await page.locator('#' + themeId).isChecked());
    assert.notEqual(await typeCount(), typeBefore, 'other facets\' counts follow the filter');

    // Second value: a country (grouped by region, with the region's label as group heading).
    const group = page.locator('#facet-country .facet-group').first();
    assert.ok((await group.locator('.facet-group-label').textContent()).trim().length > 0);
    const country = group.locator('.facet-values input[type="checkbox"]').first();
    await country.check();
    await page.waitForURL(/country=/);
    await settled(page);
    const afterBoth = await statusTotal(page);
    assert.ok(afterBoth <= afterTheme, `country narrows further (${afterBoth} <= ${afterTheme})`);
    assert.equal(await page.locator('#active-filters button').count(), 2, 'two filter chips');
    const firstAfter = await page.locator('#results a[data-doc-id]').first().getAttribute('data-doc-id');
    assert.notEqual(firstAfter, firstBefore, 'the results changed');
    const url = new URL(page.url());
    assert.equal(url.searchParams.getAll('theme').length, 1);
    assert.equal(url.searchParams.getAll('country').length, 1);

    // The state is in the URL: back removes the country, then the theme.
    await page.goBack();
    await settled(page);
    assert.equal(await statusTotal(page), afterTheme);
    assert.equal(await page.locator('#facet-country input:checked').count(), 0);
    await page.goBack();
    await settled(page);
    assert.equal(await statusTotal(page), all);
    await page.goForward();
    await settled(page);
    assert.equal(await statusTotal(page), afterTheme);

    // Sort and year range go to the URL too; "Tout effacer" removes every filter.
    await page.selectOption('#sort', 'date');
    await page.waitForURL(/sort=date/);
    await settled(page);
    await page.fill('#year-from', '2000');
    await page.fill('#year-to', '2030');
    await page.press('#year-to', 'Enter');
    await page.waitForURL(/year_from=2000/);
    await settled(page);
    assert.ok(new URL(page.url()).searchParams.get('year_to') === '2030');
    await page.click('#clear-filters');
    await page.waitForURL((u) => !/theme=|year_from=/.test(u.search));
    await settled(page);
    assert.equal(await page.locator('#active-filters button').count(), 0);
    assert.equal(await page.locator('#sort').inputValue(), 'date', 'sort is kept');
    await finish(page, 'page-facets.png');
  });

test('page: open a document, then the back button returns to the results',
  { skip: SKIP }, async () => {
    const page = await openPage(api + '/?q=coop%C3%A9ration%20d%C3%A9centralis%C3%A9e');
    await settled(page);
    const link = page.locator('#results a[data-doc-id]').first();
    const id = await link.getAttribute('data-doc-id');
    const title = (await link.textContent()).trim();
    await link.click();
    await page.waitForURL(/doc=/);
    await page.locator('#doc-view').waitFor();
    await page.waitForFunction(() => !document.getElementById('doc-view').hasAttribute('aria-busy'));
    assert.equal((await page.locator('#doc-title').textContent()).trim(), title);
    assert.ok(await page.locator('#doc-text p').count() >= 1, 'text shown by paragraphs');
    assert.ok(await page.locator('#results-view').isHidden());
    await shot(page, 'page-document.png');

    await page.goBack();
    await page.locator('#results-view').waitFor();
    await settled(page);
    assert.ok(await page.locator('#doc-view').isHidden());
    assert.ok(!/doc=/.test(page.url()));
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-doc-id')), id,
      'focus returns to the link of the document');

    // "Documents similaires" and citation links.
    await page.locator('#results a[data-similar-id]').first().click();
    await page.waitForURL(/similar=/);
    await settled(page);
    assert.match(await page.locator('#results-heading').textContent(), /Documents similaires/);
    assert.ok(await page.locator('#results > li.result').count() > 0);
    const cite = await page.locator('#results a[href*="/cite?format=bibtex"]').first().getAttribute('href');
    const bib = await context.request.get(api + cite);
    assert.equal(bib.status(), 200);
    assert.match(await bib.text(), /@\w+\{/);
    await page.goBack();
    await settled(page);
    const pageCite = await page.locator('#page-cite a[href*="format=ris"]').getAttribute('href');
    const ris = await context.request.get(api + pageCite);
    assert.equal(ris.status(), 200);
    assert.match(await ris.text(), /TY {2}- /);
    assertClean(page);
    await page.close();
  });

test('page: a hostile title and text are shown as text, no script runs', { skip: SKIP }, async () => {
  const page = await openPage(api + '/?q=' + XSS_WORD);
  await settled(page);
  const link = page.locator('#results a[data-doc-id="test-xss-document"]');
  assert.equal(await link.textContent(), XSS_TITLE, 'the title shows literally');
  assert.equal(await page.locator('#results img, #results script, #results b').count(), 0);
  assert.ok(await page.locator('#results mark').count() > 0, 'the server\'s <mark> tags are kept');
  // Issue 23 #14: a <mark> written in the document is text, not a highlight.
  const hitItem = page.locator('#results li')
    .filter({ has: page.locator('a[data-doc-id="test-xss-document"]') }).first();
  assert.ok(await hitItem.locator('mark').count() > 0);
  for (const m of await hitItem.locator('mark').allTextContents())
    assert.equal(m.toLowerCase(), XSS_WORD, 'only the query word is highlighted, not ' + m);
  assert.match(await hitItem.locator('.snippet').textContent(), /<mark>faux<\/mark>/);
  await link.click();
  await page.waitForFunction(() => !document.getElementById('doc-view').hasAttribute('aria-busy'));
  assert.equal(await page.locator('#doc-title').textContent(), XSS_TITLE);
  assert.match(await page.locator('#doc-text').textContent(), /<script>alert\(2\)<\/script>/);
  assert.equal(await page.locator('#doc-view img, #doc-view script, #doc-view b').count(), 0);
  await page.waitForTimeout(300); // give a would-be onerror handler the time to fire
  assertClean(page);
  await page.close();
});

test('page: phone width (375 px) has no horizontal scroll', { skip: SKIP }, async () => {
  const page = await openPage(api + '/?q=coop%C3%A9ration', { width: 375, height: 800 });
  await settled(page);
  assert.ok(await noHorizontalScroll(page), 'results fit in 375 px');
  assert.ok(await page.locator('#filters-form').isHidden(), 'filters start folded on a phone');
  await page.click('#filters-toggle');
  assert.ok(await page.locator('#filters-form').isVisible());
  assert.equal(await page.getAttribute('#filters-toggle', 'aria-expanded'), 'true');
  assert.ok(await noHorizontalScroll(page), 'filters fit in 375 px');
  await shot(page, 'page-375px.png');
  await page.locator('#results a[data-doc-id]').first().click();
  await page.waitForFunction(() => !document.getElementById('doc-view').hasAttribute('aria-busy'));
  assert.ok(await noHorizontalScroll(page), 'a document fits in 375 px');
  assertClean(page);
  await page.close();

  const desktop = await openPage(api + '/?q=coop%C3%A9ration');
  await settled(desktop);
  await shot(desktop, 'page-desktop.png');
  await desktop.close();
});

/* ---------------------------------------------------------------- the widget */

test('widget: on another origin, the preset filter is applied, shown and locked',
  { skip: SKIP }, async () => {
    assert.notEqual(new URL(partner).origin, new URL(api).origin);
    const requests = [];
    const page = await context.newPage();
    page.on('request', (r) => { if (r.url().startsWith(api + '/search')) requests.push(r.url()); });
    const problems = { dialogs: [], errors: [] };
    page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    page.on('pageerror', (e) => problems.errors.push(e.message));
    page.problems = problems;
    await page.goto(partner + '/');

    const results = page.locator('kb-search .results > li');
    await results.first().waitFor();
    const status = await page.locator('kb-search .status').textContent();
    const expected = await (await fetch(api + '/search?q=&size=1&country=FR')).json();
    assert.equal(totalOf(status), expected.total, `widget total = /search?country=FR (${status})`);

    // The chip: fixed, not a button, nothing in it to remove it.
    const chip = page.locator('kb-search .chip');
    assert.equal(await chip.count(), 1);
    assert.match(await chip.textContent(), /Pays\s*:\s*France/);
    assert.equal(await chip.locator('button, a, input').count(), 0, 'a fixed chip has no control');
    assert.equal(await page.locator('kb-search input[data-facet="country"]').count(), 0,
      'no country checkbox can widen the preset');
    // Shadow DOM: the page's styles and queries do not reach inside.
    assert.equal(await page.evaluate(() => document.querySelectorAll('.results, .chip').length), 0);
    assert.ok(await page.evaluate(() => !!document.querySelector('kb-search').shadowRoot));

    // A query and a facet tick still carry the preset.
    await page.locator('kb-search input[type="search"]').fill('coopération');
    await page.locator('kb-search input[type="search"]').press('Enter');
    await page.waitForFunction(() => {
      const s = document.querySelector('kb-search').shadowRoot.querySelector('.status');
      return /résultat/.test(s.textContent) && !/en cours/.test(s.textContent);
    });
    const theme = page.locator('kb-search input[data-facet="theme"]').first();
    if (await theme.count()) {
      const before = requests.length;
      await theme.check();
      await until(() => requests.length > before);
      await page.waitForFunction(() => {
        const r = document.querySelector('kb-search').shadowRoot.querySelector('.results');
        return !r.hasAttribute('aria-busy');
      });
    }
    assert.ok(requests.length >= 2);
    for (const u of requests) {
      assert.deepEqual(new URL(u).searchParams.getAll('country'), ['FR'], `preset sent: ${u}`);
    }
    assert.ok(await results.count() > 0);
    await page.locator('kb-search').screenshot({ path: path.join(artifacts, 'widget.png') });
    assert.deepEqual(problems.dialogs, []);
    assert.deepEqual(problems.errors, []);
    await page.close();
  });

test('widget: a hostile title shows as text; English strings; phone width', { skip: SKIP }, async () => {
  const page = await openPage(partner + '/', { width: 375, height: 800 });
  await page.locator('kb-search .results > li').first().waitFor();
  assert.ok(await noHorizontalScroll(page), 'the partner page with the widget fits in 375 px');
  const input = page.locator('kb-search input[type="search"]');
  assert.equal(await input.getAttribute('placeholder'), 'Chercher un document…');
  await input.fill(XSS_WORD);
  await input.press('Enter');
  const title = page.locator('kb-search .results .title a');
  await page.waitForFunction(() => {
    const a = document.querySelector('kb-search').shadowRoot.querySelector('.results .title a');
    return a && /img/.test(a.textContent);
  });
  assert.equal((await title.first().evaluate((a) => a.firstChild.nodeValue)), XSS_TITLE);
  assert.equal(await page.locator('kb-search .results img, kb-search .results script, kb-search .results b').count(), 0);
  assert.ok(await page.locator('kb-search .results mark').count() > 0, '<mark> kept as elements');
  for (const m of await page.locator('kb-search .results mark').allTextContents())
    assert.equal(m.toLowerCase(), XSS_WORD, 'a <mark> in the document is text, not ' + m);
  const snippet = await page.locator('kb-search .snippet').first().textContent();
  assert.ok(!/&lt;|&amp;/.test(snippet), `entities are decoded to text: ${snippet}`);
  assert.equal(await title.first().getAttribute('href'),
    api + '/?doc=test-xss-document', 'the title links to the document on the search site');
  await page.screenshot({ path: path.join(artifacts, 'widget-375px.png'), fullPage: true });

  // lang="en" switches the interface strings.
  await page.evaluate(() => document.querySelector('kb-search').setAttribute('lang', 'en'));
  await page.waitForFunction(() => {
    const r = document.querySelector('kb-search').shadowRoot;
    return /results?$|No results/.test(r.querySelector('.status').textContent);
  });
  assert.equal((await page.locator('kb-search button[type="submit"]').textContent()).trim(), 'Search');
  assert.match(await page.locator('kb-search .chip').textContent(), /Country\s*:\s*France/);
  await page.waitForTimeout(300);
  assertClean(page);
  await page.close();
});

test('widget: works under a strict CSP on the host page, in English, without facets',
  { skip: SKIP }, async () => {
    const page = await openPage(partner + '/strict');
    await page.locator('kb-search .results > li').first().waitFor();
    const status = await page.locator('kb-search .status').textContent();
    const expected = await (await fetch(api + '/search?q=&size=1&country=FR&type=etude')).json();
    assert.equal(status, expected.total === 1 ? '1 result' : `${expected.total} results`);
    assert.equal(await page.locator('kb-search .chip').count(), 2, 'two fixed chips');
    assert.match(await page.locator('kb-search .chip').nth(1).textContent(), /Type\s*:/);
    assert.ok(await page.locator('kb-search .facets').isHidden(), 'facets="false" hides them');
    // The shadow root's styles apply despite style-src 'self' (constructable style sheet).
    const bg = await page.locator('kb-search button[type="submit"]')
      .evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.equal(bg, 'rgb(11, 79, 156)');
    assertClean(page);
    await page.close();
  });

test('page and widget: text contrast meets WCAG 2.1 AA', { skip: SKIP }, async () => {
  const page = await openPage(api + '/?q=coop%C3%A9ration&theme=action-internationale');
  await settled(page);
  await page.locator('#q').fill('');
  await page.locator('#q').pressSequentially('fra', { delay: 30 });
  await page.locator('#q-opt-0').waitFor();
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await contrastFailures(page), []);
  await page.close();
  const widget = await openPage(partner + '/');
  await widget.locator('kb-search .results > li').first().waitFor();
  assert.deepEqual(await contrastFailures(widget), []);
  await widget.close();
});
