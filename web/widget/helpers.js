  /* Extraits, requêtes JSON et construction du DOM, partagés par l'élément. */

  /* Décode les entités produites par l'échappement HTML du serveur. */
  function decodeEntities(s) {
    return s.replace(/&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos|nbsp);/g,
      function (m, e) {
        if (e.charAt(0) === '#') {
          var n = e.charAt(1) === 'x' || e.charAt(1) === 'X'
            ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          try { return String.fromCodePoint(n); } catch (err) { return m; }
        }
        return { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0' }[e];
      });
  }

  /*
   * Découpe un extrait en segments [{ text, mark }] sur les chaînes exactes « <mark> » et
   * « </mark> ». Aucune autre balise n'est reconnue : tout le reste est du texte. La page de
   * recherche s'en sert aussi (KbSearch.parseSnippet) : une seule définition.
   */
  function parseSnippet(snippet) {
    // <mark> entoure un mot tapé, <mark class="via"> un mot d'une expansion (un autre libellé
    // du concept) : le reste est du texte échappé, sans autre balise.
    var out = [], open = null;
    String(snippet == null ? '' : snippet).split(/(<mark>|<mark class="via">|<\/mark>)/)
      .forEach(function (part) {
        if (/^<\/?mark/.test(part)) { open = part === '</mark>' ? null : part; return; }
        var text = decodeEntities(part);
        if (text) out.push({ text: text, mark: !!open, via: open === '<mark class="via">' });
      });
    return out;
  }

  /* Une réponse JSON du serveur, sans cookie, avec la clé du partenaire s'il en a une (clé de
   * recherche ou jeton de locataire) ; l'erreur porte le message à afficher. */
  function getJson(url, signal, fail, unreachable, key) {
    var headers = { 'Accept': 'application/json' };
    if (key) headers.Authorization = 'Bearer ' + key;
    return fetch(url, {
      mode: 'cors', credentials: 'omit', headers: headers, signal: signal
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        if (!res.ok || !data || typeof data !== 'object') {
          throw new Error(data && data.error && data.error.message ? String(data.error.message)
            : fail(res.status));
        }
        return data;
      });
    }, function (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new Error(unreachable);
    });
  }

  /* Intitulés français des facettes, lus une fois par serveur dans GET /facets (« fields »). */
  var headingsByEndpoint = {};

  function loadHeadings(endpoint, key) {
    var slot = endpoint + '\n' + (key || '');
    headingsByEndpoint[slot] = headingsByEndpoint[slot] ||
      getJson(endpoint + '/facets', undefined, String, '', key).then(function (d) {
        var out = {};
        (d.fields || []).forEach(function (f) { if (f && f.name) out[f.name] = String(f.label || f.name); });
        return out;
      }).catch(function () { return {}; });
    return headingsByEndpoint[slot];
  }

  var uid = 0;

  /* Un élément, sa classe, son texte, ses attributs et ses enfants. */
  function h(tag, cls, text, attrs, children) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { n.appendChild(c); });
    return n;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
