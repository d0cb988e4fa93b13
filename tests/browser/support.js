'use strict';
/*
 * Shared by the browser tests: the environment ctest provides, and starting the real programs.
 *   KB_INDEXER_BIN, KB_SERVER_BIN, KB_SOURCE_DIR (required); KB_CHROMIUM (default
 *   /usr/bin/chromium).
 */
const { spawn, execFile } = require('node:child_process');

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

module.exports = {
  ENV, SKIP, CHROMIUM, XSS_TITLE, XSS_WORD, run, startServer, stopServer, launchBrowser,
};
