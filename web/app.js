/* Passerelle — page de recherche (ES2017, sans dépendance). */
(function () {
  'use strict';

  var DEFAULT_SIZE = 10;
  var MAX_SIZE = 100;
  var APP_TITLE = 'Passerelle — recherche';
  var MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet',
    'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  var NBSP = '\u00a0';

  /* ------------------------------------------------------------------ */
  /* Fonctions pures (testables sous Node)                              */
  /* ------------------------------------------------------------------ */

  function escapeHtml(s) {
    return String(s)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
  }

  /*
   * Le serveur renvoie un extrait déjà échappé, avec uniquement des balises
   * <mark>…</mark>. Par sécurité on ré-échappe tout : chaque '<', '>', '"',
   * "'" et chaque '&' qui n'introduit pas une entité bien formée (les entités
   * produites par le serveur sont conservées, pour éviter un double
   * échappement visible du type « &amp;amp; »). Ensuite seules les séquences
   * exactes « <mark> » et « </mark> » sont ré-autorisées. Le résultat ne
   * peut contenir aucune autre balise ni aucun attribut.
   */
  function sanitizeSnippet(s) {
    var out = String(s == null ? '' : s)
      .replace(/&(?!(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&#39;');
    return out.replace(/&lt;(\/?)mark&gt;/g, '<$1mark>');
  }

  /* « 2017-10-03 » → « 3 octobre 2017 », « 2017-10 » → « octobre 2017 ». */
  function formatDate(s) {
    if (!s) return '';
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(s));
    if (!m) return String(s);
    var year = m[1];
    if (!m[2]) return year;
    var month = parseInt(m[2], 10);
    if (month < 1 || month > 12) return String(s);
    if (!m[3]) return MONTHS[month - 1] + ' ' + year;
    var day = parseInt(m[3], 10);
    if (day < 1 || day > 31) return String(s);
    return (day === 1 ? '1er' : String(day)) + ' ' + MONTHS[month - 1] + ' ' + year;
  }

  function formatInt(n) {
    try { return Number(n).toLocaleString('fr-FR').replace(/\u202f/g, NBSP); }
    catch (e) { return String(n); }
  }

  function formatMs(ms) {
    var n = Number(ms);
    if (!isFinite(n)) return '?';
    try {
      return n.toLocaleString('fr-FR', { maximumFractionDigits: n < 10 ? 1 : 0 });
    } catch (e) { return String(Math.round(n)); }
  }

  function parseState(search) {
    var p = new URLSearchParams(search || '');
    var q = (p.get('q') || '').trim();
    var page = parseInt(p.get('page') || '1', 10);
    if (!isFinite(page) || page < 1) page = 1;
    var size = parseInt(p.get('size') || String(DEFAULT_SIZE), 10);
    if (!isFinite(size) || size < 1 || size > MAX_SIZE) size = DEFAULT_SIZE;
    var doc = p.get('doc');
    return { q: q, page: page, size: size, doc: doc ? doc : null };
  }

  function buildQuery(st) {
    var p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    if (st.q && st.page > 1) p.set('page', String(st.page));
    if (st.q && st.size !== DEFAULT_SIZE) p.set('size', String(st.size));
    if (st.doc) p.set('doc', st.doc);
    var s = p.toString();
    return s ? '?' + s : '';
  }

  function splitParagraphs(text) {
    return String(text == null ? '' : text)
      .replace(/\r\n?/g, '\n')
      .split(/\n[ \t]*\n+/)
      .map(function (t) { return t.replace(/^\n+|\n+$/g, ''); })
      .filter(function (t) { return t.trim() !== ''; });
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = {
      escapeHtml: escapeHtml, sanitizeSnippet: sanitizeSnippet, formatDate: formatDate,
      parseState: parseState, buildQuery: buildQuery, splitParagraphs: splitParagraphs,
      formatInt: formatInt, formatMs: formatMs
    };
  }
  if (typeof document === 'undefined') return;

  /* ------------------------------------------------------------------ */
  /* Interface                                                          */
  /* ------------------------------------------------------------------ */

  var el = {};
  var current = null;        // état affiché { q, page, size, doc }
  var searchCache = null;    // { key, data } : derniers résultats affichés
  var lastDocId = null;      // pour rendre le focus au lien au retour
  var resultsScroll = 0;
  var totalPagesShown = 1;   // nombre de pages de la dernière réponse
  var controller = null;     // AbortController de la requête en cours
  var seq = 0;               // numéro de la requête la plus récente

  function $(id) { return document.getElementById(id); }

  function init() {
    el.form = $('search-form');
    el.q = $('q');
    el.status = $('status');
    el.error = $('error');
    el.resultsView = $('results-view');
    el.resultsHeading = $('results-heading');
    el.results = $('results');
    el.pagination = $('pagination');
    el.prev = $('prev-page');
    el.next = $('next-page');
    el.pageInfo = $('page-info');
    el.docView = $('doc-view');
    el.docTitle = $('doc-title');
    el.docMeta = $('doc-meta');
    el.docText = $('doc-text');
    el.back = $('back-button');
    el.home = $('home-link');

    el.form.addEventListener('submit', onSubmit);
    el.prev.addEventListener('click', function () { goToPage(current.page - 1); });
    el.next.addEventListener('click', function () { goToPage(current.page + 1); });
    el.back.addEventListener('click', onBack);
    el.results.addEventListener('click', onResultClick);
    el.home.addEventListener('click', function (ev) {
      if (isModifiedClick(ev)) return;
      ev.preventDefault();
      el.q.value = '';
      navigate({ q: '', page: 1, size: DEFAULT_SIZE, doc: null });
      el.q.focus();
    });
    window.addEventListener('popstate', function (ev) {
      render(parseState(location.search), { fromPop: true, histState: ev.state });
    });

    var st = parseState(location.search);
    history.replaceState({ app: 'passerelle' }, '', location.pathname + buildQuery(st) + location.hash);
    render(st, { initial: true });
  }

  function isModifiedClick(ev) {
    return ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey;
  }

  function navigate(st, extra) {
    var hs = Object.assign({ app: 'passerelle' }, extra || {});
    history.pushState(hs, '', location.pathname + buildQuery(st));
    render(st, {});
  }

  function onSubmit(ev) {
    ev.preventDefault();
    var q = el.q.value.trim();
    if (!q) {
      showError('Veuillez saisir au moins un mot.');
      el.q.focus();
      return;
    }
    var size = current ? current.size : DEFAULT_SIZE;
    searchCache = null; // nouvelle recherche explicite : on ne réutilise pas le cache
    navigate({ q: q, page: 1, size: size, doc: null });
  }

  function goToPage(page) {
    if (!current) return;
    page = Math.max(1, Math.min(page, totalPagesShown));
    navigate({ q: current.q, page: page, size: current.size, doc: null }, { focusResults: true });
  }

  function onResultClick(ev) {
    var a = ev.target.closest ? ev.target.closest('a[data-doc-id]') : null;
    if (!a || isModifiedClick(ev)) return;
    ev.preventDefault();
    resultsScroll = window.pageYOffset || 0;
    lastDocId = a.getAttribute('data-doc-id');
    navigate({ q: current.q, page: current.page, size: current.size, doc: lastDocId },
      { fromResults: true });
  }

  function onBack() {
    // Si l'on vient de la liste, revenir dans l'historique (bouton Précédent cohérent).
    if (history.state && history.state.fromResults) {
      history.back();
      return;
    }
    navigate({ q: current.q, page: current.page, size: current.size, doc: null });
  }

  /* ---------------- rendu ---------------- */

  function render(st, opts) {
    current = st;
    if (el.q.value.trim() !== st.q) el.q.value = st.q;
    clearError();
    if (st.doc) {
      showDocument(st, opts);
    } else if (st.q) {
      runSearch(st, opts);
    } else {
      abortPending();
      el.resultsView.hidden = true;
      el.docView.hidden = true;
      setStatus('');
      document.title = APP_TITLE;
    }
  }

  function abortPending() {
    seq++;
    if (controller) { try { controller.abort(); } catch (e) { /* ignore */ } }
    controller = (typeof AbortController !== 'undefined') ? new AbortController() : null;
    return seq;
  }

  function fetchJson(url, mySeq) {
    var init = { headers: { 'Accept': 'application/json' } };
    if (controller) init.signal = controller.signal;
    return fetch(url, init).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var msg = data && data.error && data.error.message
            ? String(data.error.message)
            : 'Erreur du serveur (' + res.status + ').';
          var err = new Error(msg);
          err.status = res.status;
          throw err;
        }
        if (data === null || typeof data !== 'object') {
          throw new Error('Réponse du serveur illisible.');
        }
        return data;
      });
    }, function (e) {
      if (e && e.name === 'AbortError') throw e;
      throw new Error('Impossible de contacter le serveur. Vérifiez votre connexion puis réessayez.');
    }).then(function (data) {
      if (mySeq !== seq) { var stale = new Error('stale'); stale.name = 'AbortError'; throw stale; }
      return data;
    });
  }

  function searchKey(st) { return st.q + '\u0000' + st.page + '\u0000' + st.size; }

  function runSearch(st, opts) {
    el.docView.hidden = true;
    document.title = st.q + ' — ' + APP_TITLE;

    // Retour depuis un document : réafficher les résultats en cache sans requête.
    if (searchCache && searchCache.key === searchKey(st)) {
      abortPending();
      renderResults(st, searchCache.data);
      restoreAfterDocument();
      return;
    }

    var mySeq = abortPending();
    setStatus('Recherche en cours…');
    el.results.setAttribute('aria-busy', 'true');
    var url = '/search?q=' + encodeURIComponent(st.q) + '&page=' + st.page + '&size=' + st.size;
    fetchJson(url, mySeq).then(function (data) {
      searchCache = { key: searchKey(st), data: data };
      renderResults(st, data);
      if (!opts.fromPop && history.state && history.state.focusResults) {
        el.resultsHeading.focus();
        window.scrollTo(0, 0);
      } else if (opts.fromPop) {
        restoreAfterDocument();
      }
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      el.results.removeAttribute('aria-busy');
      el.resultsView.hidden = true;
      setStatus('');
      showError(e.message);
    });
  }

  function restoreAfterDocument() {
    if (lastDocId === null) return;
    var links = el.results.querySelectorAll('a[data-doc-id]');
    var target = null;
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('data-doc-id') === lastDocId) { target = links[i]; break; }
    }
    lastDocId = null;
    window.scrollTo(0, resultsScroll);
    if (target) target.focus({ preventScroll: true });
  }

  function renderResults(st, data) {
    el.results.removeAttribute('aria-busy');
    clearChildren(el.results);
    var hits = Array.isArray(data.hits) ? data.hits : [];
    var total = Number(data.total) || 0;
    var size = Number(data.size) || st.size;
    var page = Number(data.page) || st.page;

    if (total === 0) {
      setStatus('Aucun résultat pour «' + NBSP + st.q + NBSP + '»');
      el.resultsView.hidden = true;
      return;
    }

    setStatus(formatInt(total) + (total > 1 ? ' résultats' : ' résultat') +
      ' (' + formatMs(data.took_ms) + NBSP + 'ms)');

    hits.forEach(function (hit) {
      el.results.appendChild(renderHit(st, hit));
    });

    if (hits.length === 0) {
      var li = document.createElement('li');
      li.className = 'result result-empty';
      li.textContent = 'Cette page ne contient aucun résultat.';
      el.results.appendChild(li);
    }

    var totalPages = Math.max(1, Math.ceil(total / size));
    totalPagesShown = totalPages;
    el.pagination.hidden = totalPages <= 1 && page <= 1;
    el.prev.disabled = page <= 1;
    el.next.disabled = page >= totalPages;
    el.pageInfo.textContent = 'Page ' + formatInt(page) + ' sur ' + formatInt(totalPages);
    el.results.start = (page - 1) * size + 1;
    el.resultsView.hidden = false;
  }

  function renderHit(st, hit) {
    var li = document.createElement('li');
    li.className = 'result';

    var h = document.createElement('h3');
    h.className = 'result-title';
    var a = document.createElement('a');
    var id = String(hit.id == null ? '' : hit.id);
    a.href = location.pathname + buildQuery({ q: st.q, page: st.page, size: st.size, doc: id });
    a.setAttribute('data-doc-id', id);
    a.textContent = hit.title ? String(hit.title) : '(Sans titre)';
    h.appendChild(a);
    li.appendChild(h);

    var meta = buildMetaLine(hit);
    if (meta) li.appendChild(meta);

    if (hit.snippet) {
      var p = document.createElement('p');
      p.className = 'snippet';
      p.innerHTML = sanitizeSnippet(hit.snippet); // uniquement texte échappé + <mark>
      li.appendChild(p);
    }
    return li;
  }

  function buildMetaLine(hit) {
    var parts = [];
    if (hit.type) parts.push(textSpan('result-type', String(hit.type)));
    if (hit.date) {
      var t = document.createElement('time');
      t.className = 'result-date';
      if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(String(hit.date))) t.dateTime = String(hit.date);
      t.textContent = formatDate(hit.date);
      parts.push(t);
    }
    if (hit.publisher) parts.push(textSpan('result-publisher', String(hit.publisher)));
    if (!parts.length) return null;
    var p = document.createElement('p');
    p.className = 'result-meta';
    parts.forEach(function (node, i) {
      if (i > 0) {
        var sep = document.createElement('span');
        sep.className = 'sep';
        sep.setAttribute('aria-hidden', 'true');
        sep.textContent = ' · ';
        p.appendChild(sep);
        p.appendChild(document.createTextNode(' '));
      }
      p.appendChild(node);
    });
    return p;
  }

  function textSpan(cls, text) {
    var s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    return s;
  }

  /* ---------------- vue document ---------------- */

  function showDocument(st, opts) {
    var mySeq = abortPending();
    el.resultsView.hidden = true;
    el.docView.hidden = false;
    el.back.textContent = st.q ? 'Retour aux résultats' : 'Retour à la recherche';
    el.docTitle.textContent = 'Chargement du document…';
    clearChildren(el.docMeta);
    clearChildren(el.docText);
    el.docView.setAttribute('aria-busy', 'true');
    setStatus('Chargement du document…');
    window.scrollTo(0, 0);
    if (!opts.initial) el.docTitle.focus();

    fetchJson('/documents/' + encodeURIComponent(st.doc), mySeq).then(function (doc) {
      el.docView.removeAttribute('aria-busy');
      var title = doc.title ? String(doc.title) : '(Sans titre)';
      el.docTitle.textContent = title;
      document.title = title + ' — ' + APP_TITLE;
      renderDocMeta(doc);
      var paras = splitParagraphs(doc.text);
      if (!paras.length) {
        var empty = document.createElement('p');
        empty.className = 'hint';
        empty.textContent = 'Ce document ne contient pas de texte.';
        el.docText.appendChild(empty);
      }
      paras.forEach(function (t) {
        var p = document.createElement('p');
        p.textContent = t;
        el.docText.appendChild(p);
      });
      setStatus('Document chargé : ' + title);
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      el.docView.removeAttribute('aria-busy');
      el.docTitle.textContent = 'Document indisponible';
      document.title = 'Document indisponible — ' + APP_TITLE;
      setStatus('');
      showError(e.message);
    });
  }

  function renderDocMeta(doc) {
    var rows = [
      ['Type', doc.type],
      ['Date', doc.date ? formatDate(doc.date) : ''],
      ['Éditeur', doc.publisher],
      ['Langue', doc.language],
      ['Identifiant', doc.id],
      ['Fichier source', doc.source_file]
    ];
    rows.forEach(function (r) {
      if (r[1] == null || r[1] === '') return;
      addMetaRow(r[0], document.createTextNode(String(r[1])));
    });
    if (doc.url) {
      var url = String(doc.url);
      var node;
      if (/^https?:\/\//i.test(url)) {
        node = document.createElement('a');
        node.href = url;
        node.rel = 'noopener noreferrer';
        node.textContent = url;
      } else {
        node = document.createTextNode(url);
      }
      addMetaRow('Adresse d’origine', node);
    }
  }

  function addMetaRow(label, valueNode) {
    var div = document.createElement('div');
    var dt = document.createElement('dt');
    dt.textContent = label;
    var dd = document.createElement('dd');
    dd.appendChild(valueNode);
    div.appendChild(dt);
    div.appendChild(dd);
    el.docMeta.appendChild(div);
  }

  /* ---------------- utilitaires ---------------- */

  function setStatus(text) { el.status.textContent = text; }

  function showError(msg) {
    el.error.textContent = msg;
    el.error.hidden = false;
  }

  function clearError() {
    el.error.textContent = '';
    el.error.hidden = true;
  }

  function clearChildren(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
