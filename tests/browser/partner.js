'use strict';
/*
 * The partner site of the widget tests: another origin whose pages embed the widget from the
 * search server — one plain page (/) and one under a strict Content-Security-Policy (/strict).
 */
const http = require('node:http');

function partnerPage(endpoint) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Site partenaire</title>
  <script src="${endpoint}/widget.js" defer></script>
  <style>
    body { margin: 0; padding: 1rem; font-family: Georgia, serif; }
    kb-search { --kb-accent: #6b1d6b; }
  </style>
</head>
<body>
  <h1>Site partenaire</h1>
  <p>Documents sur la France, fournis par Passerelle.</p>
  <kb-search endpoint="${endpoint}" country="FR" placeholder="Chercher un document…"
             lang="fr" facets="true"></kb-search>
</body>
</html>
`;
}

/* A partner page with a strict Content-Security-Policy: no inline style or script at all. */
function strictPartnerPage(endpoint) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Strict partner</title>
  <script src="${endpoint}/widget.js" defer></script>
</head>
<body>
  <h1>Strict partner</h1>
  <kb-search endpoint="${endpoint}" country="FR" type="etude" lang="en" facets="false"></kb-search>
</body>
</html>
`;
}

function startPartner(endpoint) {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      if (req.url === '/strict') {
        res.writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': `default-src 'none'; script-src ${endpoint}; ` +
            `connect-src ${endpoint}; style-src 'self'; img-src 'self'`,
        });
        res.end(strictPartnerPage(endpoint));
      } else if (req.url === '/' || req.url.startsWith('/?')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(partnerPage(endpoint));
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
      }
    });
    srv.listen(0, '127.0.0.1', () => resolve({ srv, url: `http://127.0.0.1:${srv.address().port}` }));
  });
}

module.exports = { startPartner };
