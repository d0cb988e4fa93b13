'use strict';
/*
 * Shared by the browser tests: the environment ctest provides, and starting the real programs.
 *   KB_INDEXER_BIN, KB_SERVER_BIN, KB_SOURCE_DIR (required); KB_CHROMIUM (default
 *   /usr/bin/chromium).
 */
const assert = require('node:assert/strict');
const { spawn, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ENV = {
  indexer: process.env.KB_INDEXER_BIN,
  server: process.env.KB_SERVER_BIN,
  source: process.env.KB_SOURCE_DIR,
};
const MISSING = Object.entries(ENV).filter(([, v]) => !v).map(([k]) => k);
const SKIP = MISSING.length
  ? `set KB_INDEXER_BIN, KB_SERVER_BIN and KB_SOURCE_DIR (missing: ${MISSING.join(', ')})`
  : false;
const CHROMIUM = process.env.KB_CHROMIUM || '/usr/bin/chromium';
/* A document whose title is HTML: it must always show as text. */
const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_WORD = 'zorglubienne';

/* Runs a program; kb-indexer's exit status 2 (some sources skipped) is not a failure. */
function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && err.code !== 2) reject(new Error(`${file} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/* Starts kb-search-server on a free port; resolves to { child, url, log() }. */
function startServer(index, extraArgs = []) {
  let log = '';
  return new Promise((resolve, reject) => {
    const child = spawn(ENV.server, ['--index', index, '--host', '127.0.0.1', '--port', '0',
      ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + log)), 30000);
    const onData = (chunk) => {
      log += chunk;
      const m = /on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}`, log: () => log });
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => { log += c; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
}

/* Stops a server started by startServer (its exit is then expected, not an error). */
function stopServer(child) {
  if (!child) return;
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}

/*
 * A run's temporary directory and where its screenshots go (KB_ARTIFACT_DIR, or inside it).
 */
function makeRunDirs(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const artifacts = process.env.KB_ARTIFACT_DIR || path.join(tmp, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  return { tmp, artifacts };
}

/*
 * Indexes the corpus plus one hostile Markdown document, test-xss-document (a French study about
 * France of 2021-05-04; its title and other front-matter lines in `fields`, then its `body`
 * lines), and the `files` given ({name, content}), into tmp/index; resolves to the index path.
 */
async function indexCorpusWith(tmp, fields, body, files = []) {
  const extra = path.join(tmp, 'corpus-extra');
  fs.mkdirSync(extra);
  for (const f of files) fs.writeFileSync(path.join(extra, f.name), f.content);
  const front = ['id: test-xss-document', ...fields, 'date: 2021-05-04', 'type: étude',
    'language: fr', 'countries: FR'];
  // The body's '<' are escaped the Markdown way (\<): the reader drops raw HTML tags, and the
  // hostile markup must reach the index, the snippets and the page as text.
  const text = body.map((line) => line.replace(/</g, '\\<'));
  fs.writeFileSync(path.join(extra, 'xss.md'), ['---', ...front, '---', ...text, ''].join('\n'));
  const index = path.join(tmp, 'index');
  await run(ENV.indexer, ['--quiet', '--index', index, path.join(ENV.source, 'corpus'), extra]);
  return index;
}

/*
 * The end of a run: the browser, the page's own HTTP server and kb-search-server stopped, and
 * what the run left in tmp removed except the artefacts (they may live there).
 */
async function tearDown({ context, site, server, tmp }) {
  if (context) await context.close().catch(() => {});
  if (site) site.close();
  stopServer(server);
  if (!tmp) return;
  for (const name of ['index', 'profile', 'corpus-extra']) {
    fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
}

/*
 * Debian's chromium, headless, on a fresh profile. The flags keep it off the network this
 * machine does not have (background networking, component updates, sync, QUIC).
 */
async function launchBrowser(chromium, profileDir) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: 'fr-FR',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(15000);
  return context;
}

/* playwright-core's chromium on tmp/profile, with a clear message when something is missing. */
async function openBrowser(tmp) {
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    throw new Error('playwright-core is missing: run scripts/install-browser-deps.sh (' + e.message + ')');
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (scripts/install-deps.sh)`);
  }
  return launchBrowser(chromium, path.join(tmp, 'profile'));
}

/* A page that records dialogs (alert = XSS), script errors and CSP violations. */
async function openCheckedPage(context, url, viewport) {
  const page = await context.newPage();
  const problems = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { problems.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => problems.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/favicon|status of 404/.test(text)) return; // no favicon: not a problem
    problems.errors.push('console: ' + text);
  });
  if (viewport) await page.setViewportSize(viewport);
  page.problems = problems;
  await page.goto(url);
  return page;
}

function assertClean(page) {
  assert.deepEqual(page.problems.dialogs, [], 'no dialog (alert) may open');
  assert.deepEqual(page.problems.errors, [], 'no script error or CSP violation');
}

/*
 * WCAG 2.1 AA text contrast of every visible text (in the document and in open shadow roots):
 * 4.5:1, or 3:1 for large text. Returns the failures.
 */
async function contrastFailures(page) {
  return page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let n = el; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) return c;
      }
      return [255, 255, 255];
    };
    const out = [];
    const visit = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
        if (!own || el.closest('.visually-hidden, .vh')) continue;
        const r = el.getBoundingClientRect();
        const cs = getComputedStyle(el);
        if (!r.width || !r.height || cs.visibility === 'hidden') continue;
        const fg = rgb(cs.color);
        const L1 = lum(fg.slice(0, 3));
        const L2 = lum(background(el).slice(0, 3));
        const ratio = (Math.max(L1, L2) + 0.05) / (Math.min(L1, L2) + 0.05);
        const size = parseFloat(cs.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) {
          out.push(`${el.tagName.toLowerCase()}.${el.className}: ${ratio.toFixed(2)} "${el.textContent.trim().slice(0, 30)}"`);
        }
      }
    };
    visit(document);
    return out;
  });
}

/* French typography puts no-break spaces inside « » and before « : »; compare on plain ones. */
function plain(s) {
  return String(s).replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ').trim();
}

/* The page has answered: results rendered (not busy, a status) or an error shown. */
async function settled(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    const s = document.getElementById('status').textContent;
    const e = document.getElementById('error');
    return (r && !r.hasAttribute('aria-busy') && s !== '' && !/en cours|Chargement/.test(s)) ||
      (e && !e.hidden);
  });
}

/* A full-page screenshot into `artifacts`, the page checked clean, then closed. */
async function finishPage(page, artifacts, screenshot) {
  await page.screenshot({ path: require('node:path').join(artifacts, screenshot), fullPage: true });
  assertClean(page);
  await page.close();
}

/*
 * The corpus (plus one test study) indexed and served with the page, a browser context open:
 * registers the suite's before/after and returns { api, context, finish(page, screenshot) }.
 * `fields`: more front-matter lines for the test study (an author, say).
 */
function usePageServer(prefix, fields = []) {
  const { before, after } = require('node:test');
  const path = require('node:path');
  const run = {};
  before(async () => {
    if (SKIP) return;
    ({ tmp: run.tmp, artifacts: run.artifacts } = makeRunDirs(prefix));
    const index = await indexCorpusWith(run.tmp, ['title: "Étude de test"', ...fields],
      ['Un texte de test.']);
    ({ child: run.server, url: run.api } =
      await startServer(index, ['--web-root', path.join(ENV.source, 'web')]));
    run.context = await openBrowser(run.tmp);
  });
  after(async () => {
    await tearDown({ context: run.context, server: run.server, tmp: run.tmp });
  });
  run.finish = (page, screenshot) => finishPage(page, run.artifacts, screenshot);
  return run;
}

module.exports = {
  ENV, SKIP, XSS_TITLE, XSS_WORD, startServer, makeRunDirs, indexCorpusWith,
  tearDown, openBrowser, openCheckedPage, assertClean, contrastFailures, plain, settled, finishPage, usePageServer,
};
