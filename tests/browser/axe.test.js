'use strict';
/*
 * Issue 20: axe-core (npm, pinned in package-lock.json) finds no violation, with all its
 * default rules (WCAG 2.x A and AA, best practices), on each state of the page and of the
 * widget, at 1280 and 375 px. axe runs inside the page through the test driver, so the page's
 * Content-Security-Policy stays as served.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');

const { SKIP, openCheckedPage, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-axe-', ['author: "Cités Unies France"']);
const SIZES = [{ width: 1280, height: 900 }, { width: 375, height: 800 }];
const AXE = SKIP ? '' : fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/* The violations axe reports on the page as it is now, one readable line each. */
async function violations(page) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' ; '));
  });
  return found;
}

async function check(page, what) {
  const found = await violations(page);
  assert.deepEqual(found, [], `axe on ${what}`);
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

  test(`axe ${w}px: the page's states`, { skip: SKIP }, async () => {
    for (const [name, path] of [
      ['all documents', '/'],
      ['results', '/?q=jumelage'],
      ['filtered results', '/?q=coop%C3%A9ration&theme=cooperation-decentralisee&country=FR'],
      ['expansions', '/?q=APD'],
      ['zero results', '/?q=zorglubienneinconnue&country=SN'],
      ['a page of many', '/?q=commune&page=3&size=20'],
      ['similar documents', '/?similar=' + encodeURIComponent('cuf-rayonnement-attractivite-villes-moyennes')],
    ]) {
      const page = await openCheckedPage(run.context, run.api + path, size);
      await settled(page);
      await check(page, name);
      await run.finish(page, `axe-${name.replace(/ /g, '-')}-${w}.png`);
    }
  });

  test(`axe ${w}px: open filters, facet search, explanation, selection`, { skip: SKIP }, async () => {
    const page = await openCheckedPage(run.context, run.api + '/?q=coop%C3%A9ration', size);
    await settled(page);
    if (!(await page.locator('#filters-form').isVisible())) await page.locator('#filters-toggle').click();
    const box = page.locator('input[data-facet-search]').first();
    if (await box.count()) await box.fill('co');
    await page.locator('details.why summary').first().click();
    await page.waitForFunction(() => document.querySelector('details.why[data-loaded]'));
    await page.locator('#results input[type="checkbox"]').first().check();
    await check(page, 'filters open, a facet searched, an explanation open, one result selected');
    await run.finish(page, `axe-interactions-${w}.png`);
  });

  test(`axe ${w}px: the document view and an error`, { skip: SKIP }, async () => {
    const doc = await openCheckedPage(run.context, run.api + '/?q=coop%C3%A9ration&doc=' +
      encodeURIComponent('code-general-des-collectivites-territoriales/L1115-1'), size);
    await docShown(doc);
    await check(doc, 'a code article');
    await run.finish(doc, `axe-document-${w}.png`);

    const md = await openCheckedPage(run.context, run.api + '/?doc=' +
      encodeURIComponent('cuf-rayonnement-attractivite-villes-moyennes'), size);
    await docShown(md);
    await check(md, 'a Markdown study');
    await run.finish(md, `axe-document-markdown-${w}.png`);

    const missing = await openCheckedPage(run.context, run.api + '/?doc=nothing-by-that-id', size);
    await missing.waitForFunction(() => !document.getElementById('error').hidden);
    await check(missing, 'an unknown document');
    await run.finish(missing, `axe-document-missing-${w}.png`);
  });
}

/* A partner page with the widget, served from another loopback origin. */
async function widgetPage(attributes, size, scheme) {
  const html = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
    <title>Partenaire</title><script src="${run.api}/widget.js" defer></script></head>
    <body><main><h1>Partenaire</h1><kb-search endpoint="${run.api}" ${attributes}></kb-search></main></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const page = await run.context.newPage();
  page.once('close', () => server.close());
  await page.setViewportSize(size);
  if (scheme) await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  return page;
}

async function widgetSettled(page) {
  await page.waitForFunction(() => {
    const root = document.querySelector('kb-search') && document.querySelector('kb-search').shadowRoot;
    const s = root && root.querySelector('.status');
    return s && s.textContent && !/en cours/.test(s.textContent);
  });
}

for (const size of SIZES) {
  const w = size.width;
  test(`axe ${w}px: the widget's states`, { skip: SKIP }, async () => {
    for (const [name, attributes, scheme] of [
      ['locked filters', 'theme="cooperation-decentralisee" facets="true" size="5"', 'light'],
      ['dark scheme', 'theme="cooperation-decentralisee" size="5"', 'dark'],
      ['zero results', 'country="SN" theme="eau-assainissement"', 'light'],
    ]) {
      const page = await widgetPage(attributes, size, scheme);
      await widgetSettled(page);
      await check(page, 'widget, ' + name);
      await page.screenshot({ path: require('node:path').join(run.artifacts, `axe-widget-${name.replace(/ /g, '-')}-${w}.png`), fullPage: true });
      await page.close();
    }
    const modal = await widgetPage('modal theme="cooperation-decentralisee"', size, 'light');
    await modal.waitForFunction(() => document.querySelector('kb-search').shadowRoot);
    await check(modal, 'widget, modal closed');
    await modal.locator('kb-search').locator('button').first().click();
    await widgetSettled(modal);
    await modal.keyboard.type('jumelage');
    await check(modal, 'widget, modal open');
    await modal.screenshot({ path: require('node:path').join(run.artifacts, `axe-widget-modal-${w}.png`), fullPage: true });
    await modal.close();
  });
}
