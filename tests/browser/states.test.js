'use strict';
/*
 * Issue 20, the states people meet first, in a real browser (see browser.test.js for the set-up):
 *   - an empty query is sorted newest first, and the sort menu says so (no « pertinence »);
 *   - zero results: no export links, no pagination;
 *   - the document view names the language in French (« français », not "fr");
 *   - the widget's locked filters show labels (« Pays : Sénégal ») even with no result, its
 *     dates are French (« 3 octobre 2017 »), and no pager shows on zero results.
 * Screenshots of each state go to build/artifacts/.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { SKIP, openCheckedPage, plain, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-states-');

/* The document view has loaded its document (not merely not busy yet: the page may not have
 * started loading it). */
async function docShown(page) {
  await page.waitForFunction(() => {
    const view = document.getElementById('doc-view');
    const title = document.getElementById('doc-title').textContent;
    return !view.hidden && !view.hasAttribute('aria-busy') && title && !/^Chargement/.test(title);
  });
}

test('page: an empty query is sorted newest first and the menu says so', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context, run.api + '/?theme=cooperation-decentralisee');
  await settled(page);
  assert.equal(await page.locator('#sort').inputValue(), 'date');
  assert.equal(await page.locator('#sort option[value="relevance"]').isDisabled(), true);
  await run.finish(page, 'states-empty-query-sort.png');

  const words = await openCheckedPage(run.context, run.api + '/?q=jumelage');
  await settled(words);
  assert.equal(await words.locator('#sort').inputValue(), 'relevance');
  assert.equal(await words.locator('#sort option[value="relevance"]').isDisabled(), false);
  await run.finish(words, 'states-query-sort.png');
});

test('page: zero results show no export links and no pagination', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context, run.api + '/?q=zorglubienneinconnue');
  await settled(page);
  assert.match(plain(await page.locator('#status').textContent()), /^Aucun résultat/);
  assert.equal(await page.locator('#page-cite').isVisible(), false);
  assert.equal(await page.locator('#page-cite a').count(), 0);
  assert.equal(await page.locator('#pagination').isVisible(), false);
  await run.finish(page, 'states-zero-results.png');
});

test('page: the document view names its language in French', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context,
    run.api + '/?doc=' + encodeURIComponent('cuf-rayonnement-attractivite-villes-moyennes'));
  await docShown(page);
  const meta = plain(await page.locator('#doc-view').textContent());
  assert.match(meta, /Langue\s*français/);
  assert.doesNotMatch(meta, /Langue\s*fr\b/);
  await run.finish(page, 'states-document-language.png');
});

/* A partner page embedding the widget with these attributes, on its own loopback origin (the
 * browser lets a loopback page call another loopback port, as a partner's would a public host). */
async function widgetPage(attributes, head = '') {
  const html = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
    <script src="${run.api}/widget.js" defer></script>${head}</head>
    <body><kb-search endpoint="${run.api}" ${attributes} lang="fr"></kb-search></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await run.context.newPage();
  page.once('close', () => server.close());
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => {
    const root = document.querySelector('kb-search') && document.querySelector('kb-search').shadowRoot;
    const s = root && root.querySelector('.status');
    return s && s.textContent && !/en cours/.test(s.textContent);
  });
  return page;
}

test('widget: locked filters show labels, and zero results no pager', { skip: SKIP }, async () => {
  const page = await widgetPage('country="SN" theme="eau-assainissement"');
  const chips = (await page.locator('kb-search .chip').allTextContents()).map(plain);
  assert.equal(chips.length, 2, chips.join(' | '));
  assert.ok(chips.some((c) => /Pays\s*:\s*Sénégal/.test(c)), chips.join(' | '));
  assert.ok(chips.some((c) => /eau et assainissement/.test(c)), chips.join(' | '));
  assert.ok(!chips.some((c) => /: (SN|eau-assainissement)\b/.test(c)), chips.join(' | '));
  assert.match(plain(await page.locator('kb-search .status').textContent()), /Aucun/);
  assert.equal(await page.locator('kb-search .pager').isVisible(), false);
  await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-widget-zero.png') });
  await page.close();
});

test('widget: dates are written in French', { skip: SKIP }, async () => {
  const page = await widgetPage('');
  await page.locator('kb-search input[type="search"]').fill('villes moyennes attractivité');
  await page.locator('kb-search input[type="search"]').press('Enter');
  await page.waitForFunction(() => {
    const root = document.querySelector('kb-search').shadowRoot;
    return /octobre 2017/.test(root.querySelector('.results').textContent);
  }, null, { timeout: 10000 });
  const meta = (await page.locator('kb-search .meta').allTextContents()).join(' | ');
  assert.doesNotMatch(meta, /\d{4}-\d{2}-\d{2}/, meta);
  assert.match(meta, /3 octobre 2017/, meta);
  await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-widget-dates.png') });
  await page.close();
});

test('page: the hint under the box is one short line, and none on touch screens',
  { skip: SKIP }, async () => {
    for (const width of [1280, 375]) {
      const page = await openCheckedPage(run.context, run.api + '/', { width, height: 800 });
      const box = await page.locator('#q-hint').boundingBox();
      const line = await page.locator('#q-hint').evaluate((e) =>
        parseFloat(getComputedStyle(e).lineHeight) || parseFloat(getComputedStyle(e).fontSize) * 1.5);
      assert.ok(box.height <= line * 1.2, `${width} px: the hint is ${box.height} px high`);
      const visible = await page.locator('#q-hint').evaluate((e) => {
        const c = e.cloneNode(true);
        c.querySelectorAll('.visually-hidden').forEach((x) => x.remove());
        return c.textContent;
      });
      assert.doesNotMatch(visible, /flèches/, 'the arrow keys are for screen readers only');
      await page.close();
    }
    // A touch screen: no hover, a coarse pointer (emulated through the DevTools protocol).
    const page = await openCheckedPage(run.context, run.api + '/', { width: 375, height: 800 });
    const cdp = await run.context.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: true, configuration: 'mobile' });
    await page.reload();
    assert.ok(await page.evaluate(() => matchMedia('(hover: none) and (pointer: coarse)').matches),
      'the touch screen is emulated');
    const box = await page.locator('#q-hint').boundingBox();
    assert.ok(!box || box.height <= 1, `touch: the hint still takes ${box && box.height} px`);
    // Still read by screen readers: the box is described by it.
    assert.equal(await page.locator('#q').getAttribute('aria-describedby'), 'q-hint');
    await run.finish(page, 'states-touch-hint.png');
  });

test('page: on a phone, a button under the ticked filters leads to the results and counts them',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=eau', { width: 375, height: 740 });
    await settled(page);
    await page.locator('#filters-toggle').click();
    await page.locator('#facet-panels input[type="checkbox"]').first().check();
    await page.waitForURL((u) => [...u.searchParams.keys()].some((k) => k !== 'q'));
    await settled(page);
    const button = page.locator('#show-results');
    assert.equal(await button.isVisible(), true);
    const total = Number(plain(await page.locator('#status').textContent()).replace(/\D.*$/, ''));
    const n = Number(plain(await button.textContent()).replace(/[^\d]/g, ''));
    assert.ok(total > 0 && n === total, `button « ${await button.textContent()} », status ${total}`);
    // It stays on screen however long the filters are.
    const box = await button.boundingBox();
    assert.ok(box.y + box.height <= 740 && box.y >= 0, `the button is at ${box.y} px`);
    await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-phone-show-results.png') });
    await button.click();
    const heading = await page.locator('#results-heading').boundingBox();
    assert.ok(heading.y >= 0 && heading.y < 200, `results heading at ${heading.y} px`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'results-heading');
    // Not on a wide screen: the results are beside the filters.
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal(await button.isVisible(), false);
    await run.finish(page, 'states-phone-results-reached.png');
  });

test('widget: events for the host page, ::part() names and a dark scheme', { skip: SKIP }, async () => {
  const head = `<style>kb-search::part(title) { font-size: 23px; }</style><script>
    window.searches = []; window.selected = [];
    document.addEventListener('kb-search', (e) => window.searches.push(e.detail));
    document.addEventListener('kb-select', (e) => { window.selected.push(e.detail); e.preventDefault(); });
  </script>`;
  const page = await widgetPage('theme="cooperation-decentralisee"', head);
  await page.waitForFunction(() => window.searches.length > 0);
  const first = await page.evaluate(() => window.searches[0]);
  assert.equal(first.q, '');
  assert.deepEqual(first.filters, { theme: ['cooperation-decentralisee'] });
  const status = plain(await page.locator('kb-search .status').textContent());
  assert.equal(String(first.total), status.replace(/\D/g, ''), status);
  assert.ok(first.ids.length > 0);
  // Choosing a hit: the host hears of it with the hit, and may keep the visitor (preventDefault).
  const pages = run.context.pages().length;
  const link = page.locator('kb-search .results a').first();
  await link.click();
  const chosen = await page.evaluate(() => window.selected[0]);
  assert.equal(chosen.hit.id, first.ids[0]);
  assert.ok(chosen.hit.title && chosen.href.includes('/?doc='));
  assert.equal(run.context.pages().length, pages, 'no new tab once the host took the choice');
  // The host styles named parts through the shadow boundary.
  assert.equal(await page.locator('kb-search .title').first().evaluate((e) => getComputedStyle(e).fontSize), '23px');
  for (const part of ['form', 'input', 'button', 'chips', 'chip', 'results', 'hit', 'title', 'snippet', 'status']) {
    assert.ok(await page.locator(`kb-search [part~="${part}"]`).count() > 0, part);
  }
  // A dark scheme when the visitor's system asks for one (and the host set no colours).
  const background = () => page.locator('kb-search').evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(await background(), 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(), 'rgb(30, 31, 34)');
  await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-widget-dark.png') });
  await page.close();
});

test('page: a hit says its section and its page, linked to the PDF at that page', { skip: SKIP }, async () => {
  const page = await run.context.newPage();
  // The answer of a long study read from a PDF on the web and a Markdown one, as the API gives
  // them (GET /search is answered here so that the test does not need such documents indexed).
  const hits = [
    { id: 'etude.pdf', title: 'Étude scannée', url: 'https://exemple.org/etude.pdf', type: 'étude',
      snippet: 'le <mark>forage</mark> du quartier', score: 3, passage: 4, page: 12 },
    { id: 'guide.md', title: 'Guide', url: '', snippet: 'un <mark>forage</mark>', score: 2,
      passage: 1, heading: 'L’eau au Sahel' },
  ];
  await page.route((u) => u.pathname === '/search', (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({ query: 'forage', total: 2, total_exact: true, page: 1, size: 10,
      took_ms: 1, hits, facets: {}, expansions: [], filters: [] }),
  }));
  await page.goto(run.api + '/?q=forage');
  await settled(page);
  const lines = page.locator('#results .result-section');
  assert.equal(await lines.count(), 2);
  const link = lines.nth(0).locator('a.result-page');
  assert.equal(await link.getAttribute('href'), 'https://exemple.org/etude.pdf#page=12');
  assert.match(plain(await link.textContent()), /^page 12/);
  assert.equal(plain(await lines.nth(1).textContent()), 'Section : L’eau au Sahel');
  await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-hit-section-page.png') });
  await page.close();
});

test('page: the document view shows headings as headings and highlights the searched words',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=jumelage&doc=' +
      encodeURIComponent('actu-etude-action-internationale-des-villes-2020-2026'));
    await docShown(page);
    const marks = await page.locator('#doc-text mark').allTextContents();
    assert.ok(marks.length > 0, 'the searched word is highlighted');
    for (const m of marks) assert.match(m.toLowerCase(), /^jumelage/, m);
    await run.finish(page, 'states-document-highlight.png');

    // A Markdown study: its headings, which /documents lists as `sections`, are headings again.
    const md = await run.context.newPage();
    await md.route((u) => u.pathname.startsWith('/documents/'), (route) => route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify({ id: 'guide.md', title: 'Guide', text:
        'Introduction\n\nLes villes agissent.\n\nL’eau au Sahel\n\nUn forage à Tombouctou.',
        sections: [{ begin: 0, level: 1, heading: 'Introduction' },
          { begin: 36, level: 2, heading: 'L’eau au Sahel' }],
        metadata: {}, passages: [], duplicates_of: [] }),
    }));
    await md.goto(run.api + '/?doc=guide.md');
    await docShown(md);
    assert.deepEqual(await md.locator('#doc-text h3').allTextContents(), ['Introduction']);
    assert.deepEqual(await md.locator('#doc-text h4').allTextContents(), ['L’eau au Sahel']);
    assert.equal(await md.locator('#doc-text p').count(), 2);
    await md.screenshot({ path: require('node:path').join(run.artifacts, 'states-document-headings.png') });
    await md.close();
  });

test('page: numbered pages and a per-page selector', { skip: SKIP }, async () => {
  const page = await openCheckedPage(run.context, run.api + '/?q=' + encodeURIComponent('coopération'));
  await settled(page);
  const numbers = page.locator('#page-numbers a');
  assert.ok(await numbers.count() >= 3);
  assert.equal(await page.locator('#page-numbers a[aria-current="page"]').textContent(), '1');
  await page.locator('#page-numbers a[data-page="3"]').click();
  await page.waitForURL((u) => u.searchParams.get('page') === '3');
  await settled(page);
  assert.equal(await page.locator('#page-numbers a[aria-current="page"]').textContent(), '3');
  assert.match(plain(await page.locator('#page-info').textContent()), /^Page 3 sur/);
  // Twenty a page: back to page 1 with twenty results.
  await page.locator('#page-size').selectOption('20');
  await page.waitForURL((u) => u.searchParams.get('size') === '20');
  await settled(page);
  assert.equal(await page.locator('#results > li.result').count(), 20);
  assert.equal(await page.locator('#page-numbers a[aria-current="page"]').textContent(), '1');
  await run.finish(page, 'states-numbered-pages.png');
});

test('widget: modal, a « Rechercher » button opens the search in a dialog', { skip: SKIP }, async () => {
  const page = await widgetPage('modal theme="cooperation-decentralisee"');
  const open = page.locator('kb-search button[part="open"]');
  assert.equal(plain(await open.textContent()), 'Rechercher');
  assert.equal(await page.locator('kb-search dialog').isVisible(), false);
  await open.click();
  const dialog = page.locator('kb-search dialog');
  assert.equal(await dialog.isVisible(), true);
  assert.equal(await dialog.getAttribute('aria-label'), 'Rechercher dans la base documentaire');
  assert.equal(await page.evaluate(() =>
    document.querySelector('kb-search').shadowRoot.activeElement.type), 'search');
  await page.locator('kb-search dialog input[type="search"]').fill('jumelage');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /résultat/.test(
    document.querySelector('kb-search').shadowRoot.querySelector('.status').textContent));
  await page.screenshot({ path: require('node:path').join(run.artifacts, 'states-widget-modal.png') });
  await page.keyboard.press('Escape');
  assert.equal(await dialog.isVisible(), false);
  assert.equal(await page.evaluate(() =>
    document.querySelector('kb-search').shadowRoot.activeElement.getAttribute('part')), 'open');
  await page.close();
});

test('page: results come as you type, stale requests cancelled, Enter still works',
  { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/');
    await settled(page);
    const searches = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/search') searches.push(r.url()); });
    const before = await page.evaluate(() => history.length);
    await page.locator('#q').pressSequentially('jumelage', { delay: 40 });
    await page.waitForURL((u) => u.searchParams.get('q') === 'jumelage');
    await settled(page);
    assert.match(plain(await page.locator('#status').textContent()), /résultat/);
    assert.equal(plain(await page.locator('#results-heading').textContent()), 'Résultats pour « jumelage »');
    assert.ok(searches.length <= 2, `one search after the pause, not one a key: ${searches.length}`);
    assert.equal(await page.evaluate(() => history.length), before, 'typing adds no history entry');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'the focus stays in the box');
    // Enter still searches (and is an entry of the history).
    await page.locator('#q').fill('coopération décentralisée');
    await page.locator('#q').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === 'coopération décentralisée');
    await settled(page);
    assert.equal(await page.evaluate(() => history.length), before + 1);
    await run.finish(page, 'states-as-you-type.png');
  });

/* The widget's results count, from its status line (« 12 résultats » → 12; « Aucun » → 0). */
async function widgetTotal(page) {
  const s = plain(await page.locator('kb-search .status').textContent());
  return /^Aucun/.test(s) ? 0 : Number(s.replace(/ /g, '').match(/(\d+)/)[1]);
}

for (const width of [1280, 375]) {
  test(`widget ${width}px: results as you type and autocomplete`, { skip: SKIP }, async () => {
    const page = await widgetPage('theme="cooperation-decentralisee"');
    await page.setViewportSize({ width, height: 800 });
    const input = page.locator('kb-search input[type="search"]');
    assert.equal(await input.getAttribute('role'), 'combobox');
    // Typing, no Enter: the results follow after a pause, within the locked theme.
    await input.pressSequentially('jumelage', { delay: 30 });
    const expected = await (await fetch(run.api + '/search?q=jumelage&theme=cooperation-decentralisee&size=1')).json();
    await page.waitForFunction((n) => {
      const root = document.querySelector('kb-search').shadowRoot;
      const s = root.querySelector('.status').textContent.replace(/\s/g, '');
      return n === 0 ? /^Aucun/.test(s) : new RegExp('^' + n + '\\D').test(s);
    }, expected.total, { timeout: 10000 });
    assert.equal(await widgetTotal(page), expected.total);

    // Suggestions for what is typed, within the locked filter; arrows then Enter pick one.
    await input.fill('');
    await input.pressSequentially('coop', { delay: 30 });
    const list = page.locator('kb-search [role="listbox"]');
    await list.waitFor({ state: 'visible', timeout: 10000 });
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    const suggested = await (await fetch(run.api + '/suggest?q=coop&theme=cooperation-decentralisee')).json();
    const options = (await list.locator('[role="option"]').allTextContents()).map(plain);
    assert.equal(options.length, Math.min(8, suggested.suggestions.length));
    assert.ok(options[0].startsWith(suggested.suggestions[0].text), options[0]);
    await page.screenshot({ path: require('node:path').join(run.artifacts, `states-widget-suggestions-${width}.png`) });
    await page.waitForTimeout(600); // the search of what was typed has gone out and come back
    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'),
      await list.locator('[role="option"]').first().getAttribute('id'));
    const events = page.evaluate(() => new Promise((resolve) => {
      document.querySelector('kb-search').addEventListener('kb-search', (e) => resolve(e.detail), { once: true });
    }));
    await input.press('Enter');
    const detail = await events;
    assert.equal(await list.isVisible(), false);
    // A facet value the partner did not lock becomes a ticked filter; a word, a title or a
    // value of the locked facet (theme here) becomes the query.
    const first = suggested.suggestions[0];
    const becomesFilter = ['country', 'actor', 'region', 'type'].includes(first.kind);
    assert.equal(detail.q, becomesFilter ? '' : first.text);
    if (becomesFilter) assert.ok(detail.filters[first.kind].includes(first.id));
    // Escape closes the list and nothing else.
    await input.fill('');
    await input.pressSequentially('coop', { delay: 30 });
    await list.waitFor({ state: 'visible', timeout: 10000 });
    await input.press('Escape');
    assert.equal(await list.isVisible(), false);
    await page.close();
  });
}

test('widget: result headings follow the host page (h1 → h2), or heading-level', { skip: SKIP }, async () => {
  const page = await widgetPage('theme="cooperation-decentralisee"');
  await page.evaluate(() => {
    const t = document.createElement('h1');
    t.textContent = 'Partenaire';
    document.body.insertBefore(t, document.body.firstChild);
    document.querySelector('kb-search').setAttribute('size', '4'); // a new search, new headings
  });
  await page.waitForFunction(() => {
    const root = document.querySelector('kb-search').shadowRoot;
    return root.querySelectorAll('.results > li').length === 4;
  });
  assert.equal(await page.locator('kb-search .results .title').first().evaluate((e) => e.tagName), 'H2');
  await page.evaluate(() => document.querySelector('kb-search').setAttribute('heading-level', '4'));
  await page.waitForFunction(() =>
    document.querySelector('kb-search').shadowRoot.querySelector('.results .title').tagName === 'H4');
  await page.close();
});
