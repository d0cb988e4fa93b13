'use strict';
/*
 * Issue 20: the world map of the country facet and the timeline of the year facet, drawn in SVG
 * from the answer's counts, at 1280 and 375 px: a circle per country and a bar per year whose
 * names carry the API's counts; a click, or Enter from the keyboard, filters as the boxes do.
 * Screenshots go to build/artifacts/.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');

const { SKIP, openCheckedPage, plain, settled, usePageServer } = require('./support');

const run = usePageServer('kb-browser-charts-');

async function api(p) {
  const res = await fetch(run.api + p);
  assert.equal(res.status, 200, p);
  return res.json();
}

async function shownTotal(page) {
  const s = plain(await page.locator('#status').textContent());
  return /^Aucun/.test(s) ? 0 : Number(s.replace(/ /g, '').match(/^\D*(\d+)/)[1]);
}

async function openCharts(page) {
  const charts = page.locator('#charts');
  if (!(await charts.evaluate((d) => d.open))) await charts.locator('summary').click();
}

for (const width of [1280, 375]) {
  test(`charts ${width}px: the map's circles carry the API's counts and filter`, { skip: SKIP }, async () => {
    const answer = await api('/search?q=&facets=true&size=1');
    const page = await openCheckedPage(run.context, run.api + '/', { width, height: 900 });
    await settled(page);
    // Folded on a phone, open on a large screen.
    assert.equal(await page.locator('#charts').evaluate((d) => d.open), width > 768);
    await openCharts(page);
    const circles = page.locator('#charts-map .map-country');
    const labels = await circles.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
    const shown = answer.facets.country.filter((c) => labels.some((l) => l.startsWith(c.label + ' :')));
    assert.ok(shown.length >= 1 && shown.length === labels.length, labels.join(' | '));
    for (const c of shown) {
      const label = labels.find((l) => l.startsWith(c.label + ' :'));
      assert.equal(plain(label), plain(`${c.label} : ${c.count.toLocaleString('fr-FR')} document${c.count > 1 ? 's' : ''}`));
    }
    await page.locator('#charts').screenshot({ path: require('node:path').join(run.artifacts, `charts-map-${width}.png`) });
    // The smallest country, by click.
    const small = shown[shown.length - 1];
    await page.locator(`#charts-map .map-country[data-country="${small.id}"]`).click();
    await page.waitForFunction((id) => new URLSearchParams(location.search).getAll('country').includes(id), small.id);
    await settled(page);
    const filtered = await api('/search?q=&country=' + small.id + '&size=1');
    assert.equal(await shownTotal(page), filtered.total);
    assert.equal(await page.locator(`#charts-map .map-country[data-country="${small.id}"]`).getAttribute('aria-pressed'), 'true');
    await run.finish(page, `charts-map-filtered-${width}.png`);

    // By keyboard: focus the largest and press Enter.
    const keys = await openCheckedPage(run.context, run.api + '/', { width, height: 900 });
    await settled(keys);
    await openCharts(keys);
    const big = shown[0];
    await keys.locator(`#charts-map .map-country[data-country="${big.id}"]`).focus();
    await keys.keyboard.press('Enter');
    await keys.waitForFunction((id) => new URLSearchParams(location.search).getAll('country').includes(id), big.id);
    await settled(keys);
    assert.equal(await shownTotal(keys), (await api('/search?q=&country=' + big.id + '&size=1')).total);
    await run.finish(keys, `charts-map-keyboard-${width}.png`);
  });

  test(`charts ${width}px: the timeline's bars carry the API's counts and filter on a year`, { skip: SKIP }, async () => {
    const answer = await api('/search?q=&facets=true&size=1');
    const years = answer.facets.year.filter((y) => /^\d{4}$/.test(String(y.id)));
    assert.ok(years.length >= 2, 'the corpus spans several years');
    const page = await openCheckedPage(run.context, run.api + '/', { width, height: 900 });
    await settled(page);
    await openCharts(page);
    const bars = page.locator('#charts-timeline .timeline-year');
    assert.equal(await bars.count(), years.length);
    const y = years[0];
    const bar = page.locator(`#charts-timeline .timeline-year[data-year="${y.id}"]`);
    assert.equal(plain(await bar.getAttribute('aria-label')),
      plain(`${y.id} : ${y.count.toLocaleString('fr-FR')} document${y.count > 1 ? 's' : ''}`));
    await page.locator('#charts').screenshot({ path: require('node:path').join(run.artifacts, `charts-timeline-${width}.png`) });
    await bar.focus();
    await page.keyboard.press(' ');
    await page.waitForFunction((yr) => {
      const p = new URLSearchParams(location.search);
      return p.get('year_from') === String(yr) && p.get('year_to') === String(yr);
    }, y.id);
    await settled(page);
    const filtered = await api(`/search?q=&year_from=${y.id}&year_to=${y.id}&size=1`);
    assert.equal(await shownTotal(page), filtered.total);
    await run.finish(page, `charts-timeline-filtered-${width}.png`);
  });
}
