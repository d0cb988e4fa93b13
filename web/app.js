/* Passerelle — page de recherche (ES2017, sans dépendance, sans étape de construction). */
(function () {
  'use strict';

  var DEFAULT_SIZE = 10;
  var MAX_SIZE = 100;
  var MAX_REACHABLE = 10000;        // le serveur ne pagine pas au-delà du 10 000e résultat
  var APP_TITLE = 'Passerelle — recherche';
  var MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet',
    'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  var NBSP = '\u00a0';
  var SORTS = ['relevance', 'date', 'date_asc'];
  /* Facettes filtrables (paramètres répétables de /search). */
  var FACETS = ['theme', 'actor', 'country', 'region', 'type'];
  /* Panneaux affichés, dans l'ordre ; « region » sert à grouper les pays. */
  var PANELS = [
    { id: 'theme', label: 'Thème' },
    { id: 'actor', label: 'Acteur' },
    { id: 'country', label: 'Pays' },
    { id: 'type', label: 'Type de document' }
  ];
  var FACET_LABELS = { theme: 'Thème', actor: 'Acteur', country: 'Pays', region: 'Région',
    type: 'Type', year: 'Année' };
  var SUGGEST_KINDS = { theme: 'thème', actor: 'acteur', country: 'pays', region: 'région',
    type: 'type', term: 'mot', title: 'document' };
  var FACET_COLLAPSED = 8;          // valeurs visibles avant « Afficher plus »
  var CITE_FORMATS = [
    { id: 'bibtex', label: 'BibTeX', ext: 'bib' },
    { id: 'ris', label: 'RIS', ext: 'ris' },
    { id: 'csl-json', label: 'CSL-JSON', ext: 'json' }
  ];

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
   * Les entités HTML que le serveur produit en échappant le texte (et les numériques). Même
   * code que decodeEntities/parseSnippet de widget.js, à dessein : le widget est livré seul,
   * sans dépendance, et la page ne charge pas le widget.
   */
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
   * Le serveur renvoie un extrait dont le texte est échappé et où seules ses propres balises
   * <mark>…</mark> sont brutes. L'extrait est découpé sur ces balises exactes en segments
   * { text, mark } : le texte est décodé et inséré comme nœud texte, jamais comme HTML. Un
   * « <mark> » écrit dans le document arrive échappé (« &lt;mark&gt; ») et reste du texte.
   */
  function snippetSegments(s) {
    var out = [];
    String(s == null ? '' : s).split('<mark>').forEach(function (part, i) {
      var end = i === 0 ? -1 : part.indexOf('</mark>');
      if (i === 0) push(part, false);
      else if (end < 0) push(part, true);
      else { push(part.slice(0, end), true); push(part.slice(end + 7), false); }
    });
    function push(raw, mark) {
      var text = decodeEntities(raw.split('</mark>').join(''));
      if (text) out.push({ text: text, mark: mark });
    }
    return out;
  }

  function renderSnippet(el, s) {
    snippetSegments(s).forEach(function (seg) {
      if (seg.mark) {
        var m = document.createElement('mark');
        m.textContent = seg.text;
        el.appendChild(m);
      } else {
        el.appendChild(document.createTextNode(seg.text));
      }
    });
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

  // Vrai quand le serveur a compté les facettes sur un échantillon (facets_exact: false).
  var facetsApprox = false;

  // Un nombre de documents d'une facette, précédé de « ≈ » quand c'est une estimation.
  function facetCountText(n) {
    return (facetsApprox ? '\u2248' + NBSP : '') + formatInt(Number(n) || 0);
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

  function emptyFilters() {
    var f = {};
    FACETS.forEach(function (k) { f[k] = []; });
    return f;
  }

  function cleanYear(v) {
    v = String(v == null ? '' : v).trim();
    return /^\d{1,4}$/.test(v) ? String(parseInt(v, 10)) : '';
  }

  /*
   * L'état complet de la page vient de l'URL (partageable, bouton Précédent) :
   * q, page, size, sort, theme/actor/country/region/type (répétables),
   * year_from, year_to, doc (document ouvert), similar (documents similaires).
   */
  function parseState(search) {
    var p = new URLSearchParams(search || '');
    var q = (p.get('q') || '').trim();
    var page = parseInt(p.get('page') || '1', 10);
    if (!isFinite(page) || page < 1) page = 1;
    var size = parseInt(p.get('size') || String(DEFAULT_SIZE), 10);
    if (!isFinite(size) || size < 1 || size > MAX_SIZE) size = DEFAULT_SIZE;
    var sort = p.get('sort') || 'relevance';
    if (SORTS.indexOf(sort) < 0) sort = 'relevance';
    var f = emptyFilters();
    FACETS.forEach(function (k) {
      p.getAll(k).forEach(function (v) {
        v = v.trim();
        if (v && f[k].indexOf(v) < 0) f[k].push(v);
      });
    });
    var doc = p.get('doc');
    var similar = p.get('similar');
    return {
      q: q, page: page, size: size, sort: sort, f: f,
      yearFrom: cleanYear(p.get('year_from')), yearTo: cleanYear(p.get('year_to')),
      doc: doc ? doc : null, similar: similar ? similar : null
    };
  }

  /* Copie d'un état, avec des modifications (les listes de filtres sont copiées). */
  function withState(st, changes) {
    var out = {
      q: st.q, page: st.page, size: st.size, sort: st.sort, f: emptyFilters(),
      yearFrom: st.yearFrom, yearTo: st.yearTo, doc: st.doc, similar: st.similar
    };
    FACETS.forEach(function (k) { out.f[k] = (st.f && st.f[k] ? st.f[k] : []).slice(); });
    Object.keys(changes || {}).forEach(function (k) { out[k] = changes[k]; });
    return out;
  }

  function appendSearchParams(p, st) {
    if (st.sort && st.sort !== 'relevance') p.set('sort', st.sort);
    FACETS.forEach(function (k) {
      ((st.f && st.f[k]) || []).forEach(function (v) { p.append(k, v); });
    });
    if (st.yearFrom) p.set('year_from', st.yearFrom);
    if (st.yearTo) p.set('year_to', st.yearTo);
  }

  /* La partie « ?… » de l'URL de la page. */
  function buildQuery(st) {
    var p = new URLSearchParams();
    if (st.q) p.set('q', st.q);
    if (st.page > 1) p.set('page', String(st.page));
    if (st.size && st.size !== DEFAULT_SIZE) p.set('size', String(st.size));
    appendSearchParams(p, st);
    if (st.doc) p.set('doc', st.doc);
    if (st.similar) p.set('similar', st.similar);
    var s = p.toString();
    return s ? '?' + s : '';
  }

  /* Les paramètres de GET /search (et /search/cite) pour cet état. */
  function apiQuery(st) {
    var p = new URLSearchParams();
    p.set('q', st.q || '');
    p.set('page', String(st.page || 1));
    p.set('size', String(st.size || DEFAULT_SIZE));
    appendSearchParams(p, st);
    return p.toString();
  }

  function hasFilters(st) {
    return FACETS.some(function (k) { return st.f[k].length > 0; }) ||
      !!st.yearFrom || !!st.yearTo;
  }

  /*
   * Groupe les pays par région : chaque pays porte l'id de sa région, dont le
   * libellé vient de la facette « region » (ou d'une table de secours).
   * Retourne [{ id, label, countries: [...] }] dans l'ordre des régions.
   */
  function groupCountries(countries, regions, fallbackLabels) {
    var order = [];
    var labels = {};
    (regions || []).forEach(function (r) {
      labels[r.id] = r.label;
      order.push(r.id);
    });
    var groups = {};
    (countries || []).forEach(function (c) {
      var rid = c.region ? String(c.region) : '';
      if (!groups[rid]) groups[rid] = [];
      groups[rid].push(c);
    });
    Object.keys(groups).forEach(function (rid) {
      if (order.indexOf(rid) < 0) order.push(rid);
    });
    return order.filter(function (rid) { return groups[rid]; }).map(function (rid) {
      var label = labels[rid] || (fallbackLabels && fallbackLabels[rid]) ||
        (rid ? rid.replace(/-/g, ' ') : 'Autres pays');
      return { id: rid, label: label, countries: groups[rid] };
    });
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
      escapeHtml: escapeHtml, snippetSegments: snippetSegments, formatDate: formatDate,
      parseState: parseState, buildQuery: buildQuery, apiQuery: apiQuery,
      groupCountries: groupCountries, splitParagraphs: splitParagraphs,
      formatInt: formatInt, formatMs: formatMs
    };
  }
  if (typeof document === 'undefined') return;

  /* ------------------------------------------------------------------ */
  /* Interface                                                          */
  /* ------------------------------------------------------------------ */

  var el = {};
  var current = null;        // état affiché
  var searchCache = null;    // { key, data } : derniers résultats affichés
  var lastDocId = null;      // pour rendre le focus au lien au retour
  var resultsScroll = 0;
  var totalPagesShown = 1;   // nombre de pages de la dernière réponse
  var controller = null;     // AbortController de la requête en cours
  var seq = 0;               // numéro de la requête la plus récente
  var labelsById = {};       // « theme:eau » → « eau et assainissement » (pastilles)
  var regionLabels = {};     // libellés des régions (via GET /facets)
  var expanded = {};         // panneaux de facettes dépliés (« Afficher plus »)
  var narrow = null;         // MediaQueryList des écrans étroits

  function $(id) { return document.getElementById(id); }

  function init() {
    ['search-form', 'q', 'q-suggestions', 'status', 'error', 'results-view', 'results-heading',
      'results', 'pagination', 'prev-page', 'next-page', 'page-info', 'doc-view', 'doc-title',
      'doc-meta', 'doc-text', 'doc-links', 'back-button', 'home-link', 'filters', 'filters-form',
      'filters-toggle', 'facet-panels', 'clear-filters', 'year-from', 'year-to', 'year-buckets',
      'sort', 'page-cite', 'did-you-mean', 'active-filters', 'similar-back', 'results-tools'
    ].forEach(function (id) {
      el[id.replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); })] = $(id);
    });

    el.searchForm.addEventListener('submit', onSubmit);
    el.prevPage.addEventListener('click', function () { goToPage(current.page - 1); });
    el.nextPage.addEventListener('click', function () { goToPage(current.page + 1); });
    el.backButton.addEventListener('click', onBack);
    el.similarBack.addEventListener('click', onBack);
    el.results.addEventListener('click', onResultClick);
    el.docLinks.addEventListener('click', onResultClick);
    el.didYouMean.addEventListener('click', onResultClick);
    el.homeLink.addEventListener('click', function (ev) {
      if (isModifiedClick(ev)) return;
      ev.preventDefault();
      el.q.value = '';
      navigate(parseState(''));
      el.q.focus();
    });
    el.facetPanels.addEventListener('change', onFacetChange);
    el.facetPanels.addEventListener('click', onFacetPanelClick);
    el.yearBuckets.addEventListener('click', onYearBucket);
    el.filtersForm.addEventListener('submit', onYearSubmit);
    el.clearFilters.addEventListener('click', onClearFilters);
    el.activeFilters.addEventListener('click', onChipClick);
    el.sort.addEventListener('change', function () {
      navigate(withState(current, { sort: el.sort.value, page: 1, doc: null, similar: null }));
    });
    el.filtersToggle.addEventListener('click', function () {
      setFiltersOpen(el.filtersForm.hidden);
    });
    if (window.matchMedia) {
      narrow = window.matchMedia('(max-width: 48rem)');
      setFiltersOpen(!narrow.matches);
      var onMedia = function () { setFiltersOpen(!narrow.matches); };
      if (narrow.addEventListener) narrow.addEventListener('change', onMedia);
      else if (narrow.addListener) narrow.addListener(onMedia);
    }
    window.addEventListener('popstate', function () {
      render(parseState(location.search), { fromPop: true });
    });

    initSuggest();
    loadRegionLabels();

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
    render(st, extra || {});
  }

  function onSubmit(ev) {
    ev.preventDefault();
    closeSuggestions();
    searchCache = null; // nouvelle recherche explicite : on ne réutilise pas le cache
    navigate(withState(current, { q: el.q.value.trim(), page: 1, doc: null, similar: null }));
  }

  function goToPage(page) {
    if (!current) return;
    page = Math.max(1, Math.min(page, totalPagesShown));
    navigate(withState(current, { page: page, doc: null }), { focusResults: true });
  }

  /* Liens de la liste : document, documents similaires, suggestion orthographique. */
  function onResultClick(ev) {
    if (!ev.target.closest || isModifiedClick(ev)) return;
    var a = ev.target.closest('a[data-doc-id], a[data-similar-id], a[data-query]');
    if (!a) return;
    ev.preventDefault();
    resultsScroll = window.pageYOffset || 0;
    if (a.hasAttribute('data-doc-id')) {
      lastDocId = a.getAttribute('data-doc-id');
      navigate(withState(current, { doc: lastDocId }), { fromResults: true });
    } else if (a.hasAttribute('data-similar-id')) {
      lastDocId = null;
      navigate(withState(current, { doc: null, similar: a.getAttribute('data-similar-id') }),
        { fromResults: true, focusResults: true });
    } else {
      el.q.value = a.getAttribute('data-query');
      navigate(withState(current, { q: el.q.value, page: 1 }));
    }
  }

  function onBack() {
    // Si l'on vient de la liste, revenir dans l'historique (bouton Précédent cohérent).
    if (history.state && history.state.fromResults) {
      history.back();
      return;
    }
    if (current.doc) navigate(withState(current, { doc: null }));
    else navigate(withState(current, { similar: null }));
  }

  /* ---------------- filtres ---------------- */

  function setFiltersOpen(open) {
    el.filtersForm.hidden = !open;
    el.filtersToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    updateFiltersToggleText();
  }

  function updateFiltersToggleText() {
    var n = 0;
    if (current) {
      FACETS.forEach(function (k) { n += current.f[k].length; });
      if (current.yearFrom || current.yearTo) n++;
    }
    var open = !el.filtersForm.hidden;
    el.filtersToggle.textContent = (open ? 'Masquer les filtres' : 'Afficher les filtres') +
      (n ? ' (' + n + ' actif' + (n > 1 ? 's' : '') + ')' : '');
  }

  function onFacetChange(ev) {
    var box = ev.target;
    if (!box || box.type !== 'checkbox' || !box.hasAttribute('data-facet')) return;
    var facet = box.getAttribute('data-facet');
    var value = box.value;
    var list = current.f[facet].filter(function (v) { return v !== value; });
    if (box.checked) list.push(value);
    var f = withState(current, {}).f;
    f[facet] = list;
    navigate(withState(current, { f: f, page: 1, doc: null, similar: null }));
  }

  function onFacetPanelClick(ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-more]') : null;
    if (!b) return;
    var facet = b.getAttribute('data-more');
    expanded[facet] = !expanded[facet];
    if (searchCache) renderFacets(current, searchCache.data.facets || {});
    var again = el.facetPanels.querySelector('button[data-more="' + facet + '"]');
    if (again) again.focus();
  }

  function onYearSubmit(ev) {
    ev.preventDefault();
    var from = cleanYear(el.yearFrom.value);
    var to = cleanYear(el.yearTo.value);
    if (from && to && Number(from) > Number(to)) { var t = from; from = to; to = t; }
    navigate(withState(current, { yearFrom: from, yearTo: to, page: 1, doc: null, similar: null }));
  }

  function onYearBucket(ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-year]') : null;
    if (!b) return;
    var y = b.getAttribute('data-year');
    var same = current.yearFrom === y && current.yearTo === y;
    navigate(withState(current, {
      yearFrom: same ? '' : y, yearTo: same ? '' : y, page: 1, doc: null, similar: null
    }));
  }

  function onClearFilters() {
    navigate(withState(current, {
      f: emptyFilters(), yearFrom: '', yearTo: '', page: 1, doc: null, similar: null
    }));
    el.q.focus();
  }

  function onChipClick(ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-chip-facet]') : null;
    if (!b) return;
    var facet = b.getAttribute('data-chip-facet');
    var value = b.getAttribute('data-chip-value');
    var changes = { page: 1 };
    if (facet === 'year') {
      changes.yearFrom = '';
      changes.yearTo = '';
    } else {
      var f = withState(current, {}).f;
      f[facet] = f[facet].filter(function (v) { return v !== value; });
      changes.f = f;
    }
    navigate(withState(current, changes));
    // Le focus va à la pastille suivante (ou au titre des résultats).
    setTimeout(function () {
      var next = el.activeFilters.querySelector('button');
      (next || el.resultsHeading).focus();
    }, 0);
  }

  function loadRegionLabels() {
    fetch('/facets', { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        var facets = (d && d.facets) || {};
        (facets.region || []).forEach(function (r) { regionLabels[r.id] = r.label; });
        rememberLabels(facets);
      })
      .catch(function () { /* libellés de secours : les ids */ });
  }

  function rememberLabels(facets) {
    Object.keys(facets || {}).forEach(function (k) {
      (facets[k] || []).forEach(function (v) {
        if (v && v.id != null) labelsById[k + ':' + v.id] = String(v.label || v.id);
      });
    });
  }

  function filterLabel(facet, value) {
    return labelsById[facet + ':' + value] || value;
  }

  /* ---------------- rendu ---------------- */

  function render(st, opts) {
    current = st;
    if (el.q.value.trim() !== st.q) el.q.value = st.q;
    el.sort.value = st.sort;
    el.yearFrom.value = st.yearFrom;
    el.yearTo.value = st.yearTo;
    el.clearFilters.disabled = !hasFilters(st);
    updateFiltersToggleText();
    clearError();
    closeSuggestions();
    if (st.doc) {
      showDocument(st, opts);
    } else if (st.similar) {
      showSimilar(st, opts);
    } else {
      runSearch(st, opts);
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

  function setLayout(mode) {
    // mode : 'search' (filtres + résultats), 'similar' ou 'doc' (une colonne).
    el.filters.hidden = mode !== 'search';
    el.docView.hidden = mode !== 'doc';
    el.resultsTools.hidden = mode !== 'search';
    el.similarBack.hidden = mode !== 'similar';
    if (mode !== 'search') {
      el.activeFilters.hidden = true;
      el.didYouMean.hidden = true;
    }
    if (mode === 'doc') el.resultsView.hidden = true;
  }

  function runSearch(st, opts) {
    setLayout('search');
    document.title = (st.q ? st.q + ' — ' : '') + APP_TITLE;
    var key = apiQuery(st);

    // Retour depuis un document : réafficher les résultats en cache sans requête.
    if (searchCache && searchCache.key === key) {
      abortPending();
      renderSearch(st, searchCache.data);
      restoreAfterDocument();
      return;
    }

    var mySeq = abortPending();
    setStatus('Recherche en cours…');
    el.results.setAttribute('aria-busy', 'true');
    fetchJson('/search?' + key, mySeq).then(function (data) {
      searchCache = { key: key, data: data };
      renderSearch(st, data);
      if (opts.focusResults && !opts.fromPop) {
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

  function renderSearch(st, data) {
    rememberLabels(data.facets);
    facetsApprox = data.facets_exact === false;
    el.resultsHeading.textContent = st.q ? 'Résultats pour «' + NBSP + st.q + NBSP + '»' : 'Tous les documents';
    renderDidYouMean(st, data);
    renderChips(st);
    renderFacets(st, data.facets || {});
    renderPageCite(st);
    renderResults(st, data, true);
  }

  function renderDidYouMean(st, data) {
    clearChildren(el.didYouMean);
    var alt = data.did_you_mean ? String(data.did_you_mean) : '';
    if (!alt || alt === st.q) { el.didYouMean.hidden = true; return; }
    if (data.corrected) {
      el.didYouMean.appendChild(document.createTextNode(
        'Aucun résultat pour «' + NBSP + st.q + NBSP + '» : résultats pour «' + NBSP + alt + NBSP + '».'));
    } else {
      el.didYouMean.appendChild(document.createTextNode('Essayez avec l’orthographe : '));
      var a = document.createElement('a');
      a.href = location.pathname + buildQuery(withState(st, { q: alt, page: 1 }));
      a.setAttribute('data-query', alt);
      a.textContent = alt;
      el.didYouMean.appendChild(a);
    }
    el.didYouMean.hidden = false;
  }

  function renderResults(st, data, withPagination) {
    el.results.removeAttribute('aria-busy');
    clearChildren(el.results);
    var hits = Array.isArray(data.hits) ? data.hits : [];
    var total = Number(data.total) || 0;
    var size = Number(data.size) || st.size;
    var page = Number(data.page) || st.page;
    el.resultsView.hidden = false;

    if (total === 0) {
      setStatus(st.q ? 'Aucun résultat pour «' + NBSP + st.q + NBSP + '»' : 'Aucun résultat');
      var none = document.createElement('li');
      none.className = 'result result-empty';
      none.textContent = hasFilters(st)
        ? 'Aucun document ne correspond. Retirez un filtre ou modifiez la recherche.'
        : 'Aucun document ne correspond. Modifiez la recherche.';
      el.results.appendChild(none);
      el.pagination.hidden = true;
      return;
    }

    setStatus((data.total_exact === false ? 'Environ ' : '') + formatInt(total) +
      (total > 1 ? ' résultats' : ' résultat') +
      (data.took_ms != null ? ' (' + formatMs(data.took_ms) + NBSP + 'ms)' : ''));

    hits.forEach(function (hit) {
      el.results.appendChild(renderHit(st, hit));
    });

    if (hits.length === 0) {
      var li = document.createElement('li');
      li.className = 'result result-empty';
      li.textContent = 'Cette page ne contient aucun résultat.';
      el.results.appendChild(li);
    }

    var totalPages = Math.max(1, Math.ceil(Math.min(total, MAX_REACHABLE) / size));
    totalPagesShown = totalPages;
    el.pagination.hidden = !withPagination || (totalPages <= 1 && page <= 1);
    el.prevPage.disabled = page <= 1;
    el.nextPage.disabled = page >= totalPages;
    el.pageInfo.textContent = 'Page ' + formatInt(page) + ' sur ' + formatInt(totalPages);
    el.results.start = withPagination ? (page - 1) * size + 1 : 1;
  }

  function renderHit(st, hit) {
    var li = document.createElement('li');
    li.className = 'result';
    var id = String(hit.id == null ? '' : hit.id);

    var h = document.createElement('h3');
    h.className = 'result-title';
    var a = document.createElement('a');
    a.href = location.pathname + buildQuery(withState(st, { doc: id }));
    a.setAttribute('data-doc-id', id);
    a.textContent = hit.title ? String(hit.title) : '(Sans titre)';
    h.appendChild(a);
    li.appendChild(h);

    var meta = buildMetaLine(hit);
    if (meta) li.appendChild(meta);

    if (hit.snippet) {
      var p = document.createElement('p');
      p.className = 'snippet';
      renderSnippet(p, hit.snippet); // des nœuds texte et les <mark> du serveur, jamais du HTML
      li.appendChild(p);
    }

    li.appendChild(buildDocLinks(st, id, hit.title));
    return li;
  }

  /* « Documents similaires » et « Citer : BibTeX · RIS · CSL-JSON » pour un document. */
  function buildDocLinks(st, id, title) {
    var p = document.createElement('p');
    p.className = 'result-links';
    var name = title ? String(title) : id;
    var sim = document.createElement('a');
    sim.href = location.pathname + buildQuery(withState(st, { doc: null, similar: id, page: 1 }));
    sim.setAttribute('data-similar-id', id);
    sim.textContent = 'Documents similaires';
    sim.appendChild(visuallyHidden(' à «' + NBSP + name + NBSP + '»'));
    p.appendChild(sim);

    var cite = document.createElement('span');
    cite.className = 'cite';
    cite.appendChild(document.createTextNode('Citer' + NBSP + ': '));
    CITE_FORMATS.forEach(function (fmt, i) {
      if (i > 0) cite.appendChild(separator());
      var c = document.createElement('a');
      c.href = '/documents/' + encodeURIComponent(id) + '/cite?format=' + fmt.id;
      c.setAttribute('download', safeFileName(id) + '.' + fmt.ext);
      c.textContent = fmt.label;
      c.appendChild(visuallyHidden(' (citation de «' + NBSP + name + NBSP + '»)'));
      cite.appendChild(c);
    });
    p.appendChild(cite);
    return p;
  }

  function renderPageCite(st) {
    clearChildren(el.pageCite);
    el.pageCite.appendChild(document.createTextNode('Exporter cette page' + NBSP + ': '));
    CITE_FORMATS.forEach(function (fmt, i) {
      if (i > 0) el.pageCite.appendChild(separator());
      var a = document.createElement('a');
      a.href = '/search/cite?' + apiQuery(st) + '&format=' + fmt.id;
      a.setAttribute('download', 'passerelle-resultats.' + fmt.ext);
      a.textContent = fmt.label;
      a.appendChild(visuallyHidden(' (citations des résultats de cette page)'));
      el.pageCite.appendChild(a);
    });
  }

  function safeFileName(id) {
    return String(id).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'document';
  }

  function renderChips(st) {
    clearChildren(el.activeFilters);
    var chips = [];
    FACETS.forEach(function (k) {
      st.f[k].forEach(function (v) {
        chips.push({ facet: k, value: v, text: FACET_LABELS[k] + NBSP + ': ' + filterLabel(k, v) });
      });
    });
    if (st.yearFrom || st.yearTo) {
      var t = st.yearFrom && st.yearTo
        ? (st.yearFrom === st.yearTo ? st.yearFrom : st.yearFrom + '–' + st.yearTo)
        : (st.yearFrom ? 'depuis ' + st.yearFrom : 'jusqu’à ' + st.yearTo);
      chips.push({ facet: 'year', value: '', text: 'Période' + NBSP + ': ' + t });
    }
    chips.forEach(function (c) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'chip';
      b.setAttribute('data-chip-facet', c.facet);
      b.setAttribute('data-chip-value', c.value);
      b.appendChild(visuallyHidden('Retirer le filtre '));
      b.appendChild(document.createTextNode(c.text));
      var x = document.createElement('span');
      x.className = 'chip-x';
      x.setAttribute('aria-hidden', 'true');
      x.textContent = '×';
      b.appendChild(x);
      li.appendChild(b);
      el.activeFilters.appendChild(li);
    });
    el.activeFilters.hidden = chips.length === 0;
  }

  /* ---------------- facettes ---------------- */

  function facetInputId(facet, value) {
    return 'f-' + facet + '-' + String(value).replace(/[^A-Za-z0-9_-]/g, function (c) {
      return '_' + c.charCodeAt(0).toString(16);
    });
  }

  function renderFacets(st, facets) {
    // Garder le focus clavier sur la même case après le nouveau rendu.
    var active = document.activeElement;
    var focusId = active && el.facetPanels.contains(active) ? active.id : '';
    var focusMore = active && active.hasAttribute && active.hasAttribute('data-more')
      ? active.getAttribute('data-more') : '';

    clearChildren(el.facetPanels);
    PANELS.forEach(function (panel) {
      var values = (facets[panel.id] || []).slice();
      // Les valeurs cochées restent visibles même si leur compte tombe à zéro.
      st.f[panel.id].forEach(function (v) {
        var found = values.some(function (x) { return String(x.id) === v; });
        if (!found) values.push({ id: v, label: filterLabel(panel.id, v), count: 0 });
      });
      if (!values.length) return;

      var fs = document.createElement('fieldset');
      fs.className = 'facet';
      fs.id = 'facet-' + panel.id;
      var legend = document.createElement('legend');
      legend.textContent = panel.label;
      fs.appendChild(legend);

      if (panel.id === 'country') {
        groupCountries(values, facets.region, regionLabels).forEach(function (g, gi) {
          var group = document.createElement('div');
          group.className = 'facet-group';
          group.setAttribute('role', 'group');
          var gl = document.createElement('p');
          gl.className = 'facet-group-label';
          gl.id = 'facet-country-g' + gi;
          gl.textContent = g.label;
          group.setAttribute('aria-labelledby', gl.id);
          group.appendChild(gl);
          group.appendChild(facetList(st, 'country', g.countries, g.countries.length));
          fs.appendChild(group);
        });
      } else {
        var limit = expanded[panel.id] ? values.length : FACET_COLLAPSED;
        // Les valeurs cochées au-delà de la limite sont remontées.
        var shown = values.slice(0, limit);
        values.slice(limit).forEach(function (v) {
          if (st.f[panel.id].indexOf(String(v.id)) >= 0) shown.push(v);
        });
        fs.appendChild(facetList(st, panel.id, shown, shown.length));
        if (values.length > FACET_COLLAPSED) {
          var more = document.createElement('button');
          more.type = 'button';
          more.className = 'link-button';
          more.setAttribute('data-more', panel.id);
          more.setAttribute('aria-expanded', expanded[panel.id] ? 'true' : 'false');
          more.textContent = expanded[panel.id]
            ? 'Afficher moins'
            : 'Afficher plus (' + (values.length - FACET_COLLAPSED) + ')';
          more.appendChild(visuallyHidden(' — ' + panel.label.toLowerCase()));
          fs.appendChild(more);
        }
      }
      el.facetPanels.appendChild(fs);
    });
    renderYearBuckets(st, facets.year || []);

    if (focusId && $(focusId)) $(focusId).focus();
    else if (focusMore) {
      var again = el.facetPanels.querySelector('button[data-more="' + focusMore + '"]');
      if (again) again.focus();
    }
  }

  function facetList(st, facet, values, n) {
    var ul = document.createElement('ul');
    ul.className = 'facet-values';
    values.slice(0, n).forEach(function (v) {
      var value = String(v.id);
      var li = document.createElement('li');
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.id = facetInputId(facet, value);
      box.value = value;
      box.setAttribute('data-facet', facet);
      box.checked = st.f[facet].indexOf(value) >= 0;
      var label = document.createElement('label');
      label.htmlFor = box.id;
      var name = document.createElement('span');
      name.className = 'facet-label';
      name.textContent = v.label ? String(v.label) : value;
      var count = document.createElement('span');
      count.className = 'count';
      count.appendChild(visuallyHidden(' ('));
      count.appendChild(document.createTextNode(facetCountText(v.count)));
      if (facetsApprox) count.title = 'Estimation sur un échantillon des résultats';
      count.appendChild(visuallyHidden(Number(v.count) === 1 ? ' document)' : ' documents)'));
      label.appendChild(name);
      label.appendChild(count);
      li.appendChild(box);
      li.appendChild(label);
      ul.appendChild(li);
    });
    return ul;
  }

  function renderYearBuckets(st, years) {
    clearChildren(el.yearBuckets);
    if (!years.length) return;
    var p = document.createElement('p');
    p.className = 'facet-group-label';
    p.id = 'year-buckets-label';
    p.textContent = 'Années présentes';
    el.yearBuckets.appendChild(p);
    var ul = document.createElement('ul');
    ul.className = 'year-list';
    ul.setAttribute('aria-labelledby', p.id);
    years.slice().sort(function (a, b) { return Number(b.id) - Number(a.id); }).forEach(function (y) {
      var li = document.createElement('li');
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'year-button';
      b.setAttribute('data-year', String(y.id));
      var pressed = st.yearFrom === String(y.id) && st.yearTo === String(y.id);
      b.setAttribute('aria-pressed', pressed ? 'true' : 'false');
      b.textContent = String(y.label || y.id) + ' ';
      var c = document.createElement('span');
      c.className = 'count';
      c.appendChild(visuallyHidden('('));
      c.appendChild(document.createTextNode(facetCountText(y.count)));
      if (facetsApprox) c.title = 'Estimation sur un échantillon des résultats';
      c.appendChild(visuallyHidden(Number(y.count) === 1 ? ' document)' : ' documents)'));
      b.appendChild(c);
      li.appendChild(b);
      ul.appendChild(li);
    });
    el.yearBuckets.appendChild(ul);
  }

  /* ---------------- documents similaires ---------------- */

  function showSimilar(st, opts) {
    setLayout('similar');
    var mySeq = abortPending();
    el.resultsView.hidden = false;
    el.pagination.hidden = true;
    el.resultsHeading.textContent = 'Documents similaires';
    el.similarBack.textContent = 'Retour aux résultats';
    setStatus('Recherche des documents similaires…');
    el.results.setAttribute('aria-busy', 'true');
    clearChildren(el.results);
    var enc = encodeURIComponent(st.similar);
    Promise.all([
      fetchJson('/documents/' + enc + '/similar?size=' + st.size, mySeq),
      fetchJson('/documents/' + enc, mySeq).catch(function (e) {
        if (e && e.name === 'AbortError') throw e;
        return null;
      })
    ]).then(function (res) {
      var data = res[0];
      var doc = res[1];
      var title = doc && doc.title ? String(doc.title) : st.similar;
      el.resultsHeading.textContent = 'Documents similaires à «' + NBSP + title + NBSP + '»';
      document.title = 'Documents similaires — ' + APP_TITLE;
      renderResults(st, data, false);
      if (opts.focusResults && !opts.fromPop) el.resultsHeading.focus();
    }).catch(function (e) {
      if (e && e.name === 'AbortError') return;
      el.results.removeAttribute('aria-busy');
      setStatus('');
      showError(e.message);
    });
  }

  /* ---------------- vue document ---------------- */

  function showDocument(st, opts) {
    var mySeq = abortPending();
    setLayout('doc');
    el.backButton.textContent = 'Retour aux résultats';
    el.docTitle.textContent = 'Chargement du document…';
    clearChildren(el.docMeta);
    clearChildren(el.docText);
    clearChildren(el.docLinks);
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
      el.docLinks.appendChild(buildDocLinks(withState(st, { doc: null }), st.doc, doc.title));
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

  /* ---------------- autocomplétion (motif ARIA « combobox ») ---------------- */

  var sugg = { items: [], active: -1, timer: 0, ctrl: null, seq: 0 };

  function initSuggest() {
    el.q.addEventListener('input', function () {
      clearTimeout(sugg.timer);
      var v = el.q.value.trim();
      if (v.length < 2) { closeSuggestions(); return; }
      sugg.timer = setTimeout(function () { fetchSuggestions(v); }, 150);
    });
    el.q.addEventListener('keydown', onSuggestKey);
    el.q.addEventListener('blur', function () { setTimeout(closeSuggestions, 150); });
    el.qSuggestions.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
    el.qSuggestions.addEventListener('click', function (ev) {
      var li = ev.target.closest ? ev.target.closest('[role="option"]') : null;
      if (li) pickSuggestion(Number(li.getAttribute('data-index')));
    });
  }

  function fetchSuggestions(v) {
    var my = ++sugg.seq;
    if (sugg.ctrl) { try { sugg.ctrl.abort(); } catch (e) { /* ignore */ } }
    sugg.ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    fetch('/suggest?q=' + encodeURIComponent(v),
      { headers: { 'Accept': 'application/json' }, signal: sugg.ctrl ? sugg.ctrl.signal : undefined })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (d) {
        if (my !== sugg.seq || el.q.value.trim() !== v || document.activeElement !== el.q) return;
        showSuggestions(Array.isArray(d.suggestions) ? d.suggestions.slice(0, 10) : []);
      })
      .catch(function () { /* pas de suggestions : la recherche reste possible */ });
  }

  function showSuggestions(items) {
    sugg.items = items;
    sugg.active = -1;
    clearChildren(el.qSuggestions);
    el.q.removeAttribute('aria-activedescendant');
    if (!items.length) { closeSuggestions(); return; }
    items.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'q-opt-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.setAttribute('data-index', String(i));
      li.className = 'suggestion';
      var t = document.createElement('span');
      t.className = 'suggestion-text';
      t.textContent = String(s.text || '');
      li.appendChild(t);
      var kind = SUGGEST_KINDS[s.kind];
      if (kind && s.kind !== 'term') {
        var k = document.createElement('span');
        k.className = 'suggestion-kind';
        k.textContent = ' ' + kind;
        li.appendChild(k);
      }
      el.qSuggestions.appendChild(li);
    });
    el.qSuggestions.hidden = false;
    el.q.setAttribute('aria-expanded', 'true');
  }

  function closeSuggestions() {
    clearTimeout(sugg.timer);
    sugg.seq++;
    sugg.active = -1;
    if (!el.qSuggestions) return;
    el.qSuggestions.hidden = true;
    el.q.setAttribute('aria-expanded', 'false');
    el.q.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    var opts = el.qSuggestions.querySelectorAll('[role="option"]');
    if (!opts.length) return;
    if (i < 0) i = opts.length - 1;
    if (i >= opts.length) i = 0;
    sugg.active = i;
    for (var j = 0; j < opts.length; j++) {
      opts[j].setAttribute('aria-selected', j === i ? 'true' : 'false');
      opts[j].classList.toggle('active', j === i);
    }
    el.q.setAttribute('aria-activedescendant', opts[i].id);
    if (opts[i].scrollIntoView) opts[i].scrollIntoView({ block: 'nearest' });
  }

  function onSuggestKey(ev) {
    var open = !el.qSuggestions.hidden;
    if (ev.key === 'ArrowDown' || ev.key === 'Down') {
      if (!open) {
        if (sugg.items.length && el.q.value.trim().length >= 2) showSuggestions(sugg.items);
        else return;
      }
      ev.preventDefault();
      setActive(sugg.active + 1);
    } else if (ev.key === 'ArrowUp' || ev.key === 'Up') {
      if (!open) return;
      ev.preventDefault();
      setActive(sugg.active - 1);
    } else if (ev.key === 'Enter') {
      if (open && sugg.active >= 0) {
        ev.preventDefault();
        pickSuggestion(sugg.active);
      } else {
        closeSuggestions();
      }
    } else if (ev.key === 'Escape' || ev.key === 'Esc') {
      if (open) {
        ev.preventDefault();
        closeSuggestions();
      }
    } else if (ev.key === 'Tab') {
      closeSuggestions();
    }
  }

  /*
   * Un mot remplace la requête ; un thème, un acteur ou un pays devient un
   * filtre ; un titre ouvre le document.
   */
  function pickSuggestion(i) {
    var s = sugg.items[i];
    if (!s) return;
    closeSuggestions();
    searchCache = null;
    var text = String(s.text || '');
    var id = s.id != null ? String(s.id) : '';
    if (s.kind === 'title' && id) {
      el.q.value = current.q;
      navigate(withState(current, { doc: id, similar: null }));
    } else if (FACETS.indexOf(s.kind) >= 0 && id) {
      var f = withState(current, {}).f;
      if (f[s.kind].indexOf(id) < 0) f[s.kind].push(id);
      labelsById[s.kind + ':' + id] = text;
      el.q.value = '';
      navigate(withState(current, { q: '', f: f, page: 1, doc: null, similar: null }));
    } else {
      el.q.value = text;
      navigate(withState(current, { q: text, page: 1, doc: null, similar: null }));
    }
  }

  /* ---------------- utilitaires ---------------- */

  function visuallyHidden(text) {
    var s = document.createElement('span');
    s.className = 'visually-hidden';
    s.textContent = text;
    return s;
  }

  function separator() {
    var s = document.createElement('span');
    s.className = 'sep';
    s.setAttribute('aria-hidden', 'true');
    s.textContent = ' · ';
    return s;
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
        p.appendChild(separator());
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
