/*
 * Passerelle — page de recherche (modules ES, sans dépendance, sans étape de construction).
 * Ce point d'entrée relie les vues (js/*.js) à l'historique : l'état est dans l'URL, chaque
 * action est une navigation, et le rendu suit l'état.
 */
import { abortPending, fetchFacetCatalog, fetchJson, isAbort } from './js/api.js';
import { askForKey, initKeyedDownloads } from './js/access.js';
import { initCharts, renderCharts } from './js/charts.js';
import { showDocument } from './js/document.js';
import {
  APP_TITLE, clearChildren, clearError, collectElements, el, isModifiedClick, setLayout, setStatus, showError
} from './js/dom.js';
import { rememberCatalog, rememberSearch, renderFacets } from './js/facets.js';
import { setFields } from './js/fields.js';
import { initFilters, renderChips, updateFiltersToggleText, updateShowResults } from './js/filters.js';
import { NBSP } from './js/format.js';
import {
  lastPageShown, renderDidYouMean, renderExpansions, renderPageCite, renderResults
} from './js/results.js';
import { apiQuery, buildQuery, hasFilters, parseState, session, withState } from './js/state.js';
import { initSelection, renderSelection } from './js/selection.js';
import { closeSuggestions, initSuggest } from './js/suggest.js';

var lastDocId = null;      // pour rendre le focus au lien au retour
var resultsScroll = 0;

function init() {
  collectElements();
  el.searchForm.addEventListener('submit', onSubmit);
  el.q.addEventListener('input', onTyping);
  el.prevPage.addEventListener('click', function () { goToPage(session.current.page - 1); });
  el.nextPage.addEventListener('click', function () { goToPage(session.current.page + 1); });
  el.backButton.addEventListener('click', onBack);
  el.similarBack.addEventListener('click', onBack);
  el.results.addEventListener('click', onResultClick);
  el.docLinks.addEventListener('click', onResultClick);
  el.docMeta.addEventListener('click', onResultClick);
  el.didYouMean.addEventListener('click', onResultClick);
  el.homeLink.addEventListener('click', function (ev) {
    if (isModifiedClick(ev)) return;
    ev.preventDefault();
    el.q.value = '';
    navigate(parseState(''));
    el.q.focus();
  });
  el.pageSize.addEventListener('change', function () {
    navigate(withState(session.current, { size: Number(el.pageSize.value), page: 1, doc: null }));
  });
  el.pageNumbers.addEventListener('click', function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[data-page]') : null;
    if (!a || isModifiedClick(ev)) return;
    ev.preventDefault();
    goToPage(Number(a.getAttribute('data-page')));
  });
  el.sort.addEventListener('change', function () {
    navigate(withState(session.current, { sort: el.sort.value, page: 1, doc: null, similar: null }));
  });
  initFilters(navigate);
  window.addEventListener('popstate', function () {
    render(parseState(location.search), { fromPop: true });
  });

  initSuggest(navigate);
  initSelection();
  initKeyedDownloads();
  initCharts(navigate);

  var st = parseState(location.search);
  history.replaceState({ app: 'passerelle' }, '', location.pathname + buildQuery(st) + location.hash);
  render(st, { initial: true });
}

function navigate(st, extra) {
  var hs = Object.assign({ app: 'passerelle' }, extra || {});
  history.pushState(hs, '', location.pathname + buildQuery(st));
  render(st, extra || {});
}

/* Résultats pendant la saisie : une pause de 350 ms lance la recherche (la précédente est
 * annulée par abortPending), l'adresse est mise à jour sans ajouter d'entrée à l'historique,
 * les suggestions restent ouvertes ; Entrée valide comme avant. */
var typingTimer = 0;
var TYPING_PAUSE_MS = 350;

function onTyping() {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(searchAsYouType, TYPING_PAUSE_MS);
}

function searchAsYouType() {
  var cur = session.current;
  if (!cur || cur.doc || cur.similar) return;
  var v = el.q.value.trim();
  if (v === cur.q || (v.length > 0 && v.length < 2)) return;
  var st = withState(cur, { q: v, page: 1, doc: null, similar: null });
  history.replaceState({ app: 'passerelle' }, '', location.pathname + buildQuery(st));
  render(st, { asYouType: true });
}

function onSubmit(ev) {
  ev.preventDefault();
  clearTimeout(typingTimer);
  closeSuggestions();
  session.searchCache = null; // nouvelle recherche explicite : on ne réutilise pas le cache
  navigate(withState(session.current, { q: el.q.value.trim(), page: 1, doc: null, similar: null }));
}

function goToPage(page) {
  if (!session.current) return;
  page = Math.max(1, Math.min(page, lastPageShown()));
  navigate(withState(session.current, { page: page, doc: null }), { focusResults: true });
}

/* Liens de la liste : document, documents similaires, suggestion orthographique. */
function onResultClick(ev) {
  if (!ev.target.closest || isModifiedClick(ev)) return;
  var a = ev.target.closest('a[data-doc-id], a[data-similar-id], a[data-query], a[data-filter-facet]');
  if (!a) return;
  ev.preventDefault();
  if (a.hasAttribute('data-filter-facet')) { // une pastille du document : sa recherche filtrée
    lastDocId = null;
    navigate(parseState(a.search));
    return;
  }
  resultsScroll = window.pageYOffset || 0;
  if (a.hasAttribute('data-doc-id')) {
    lastDocId = a.getAttribute('data-doc-id');
    navigate(withState(session.current, { doc: lastDocId }), { fromResults: true });
  } else if (a.hasAttribute('data-similar-id')) {
    lastDocId = null;
    navigate(withState(session.current, { doc: null, similar: a.getAttribute('data-similar-id') }),
      { fromResults: true, focusResults: true });
  } else {
    el.q.value = a.getAttribute('data-query');
    navigate(withState(session.current, { q: el.q.value, page: 1 }));
  }
}

function onBack() {
  // Si l'on vient de la liste, revenir dans l'historique (bouton Précédent cohérent).
  if (history.state && history.state.fromResults) {
    history.back();
    return;
  }
  if (session.current.doc) navigate(withState(session.current, { doc: null }));
  else navigate(withState(session.current, { similar: null }));
}

function render(st, opts) {
  session.current = st;
  if (el.q.value.trim() !== st.q) el.q.value = st.q;
  // Sans mots, pas de pertinence : le serveur range du plus récent au plus ancien, et le menu
  // le dit.
  var relevance = el.sort.querySelector('option[value="relevance"]');
  relevance.disabled = !st.q;
  el.sort.value = !st.q && st.sort === 'relevance' ? 'date' : st.sort;
  if (!el.pageSize.querySelector('option[value="' + st.size + '"]')) {
    var extra = document.createElement('option');
    extra.value = extra.textContent = String(st.size);
    el.pageSize.appendChild(extra);
  }
  el.pageSize.value = String(st.size);
  el.yearFrom.value = st.yearFrom;
  el.yearTo.value = st.yearTo;
  el.clearFilters.disabled = !hasFilters(st);
  updateFiltersToggleText();
  clearError();
  if (!opts.asYouType) closeSuggestions();
  if (st.doc) {
    showDocument(st, opts);
  } else if (st.similar) {
    showSimilar(st, opts);
  } else {
    runSearch(st, opts);
  }
}

/* Une requête qui échoue : l'erreur remplace le message d'attente. */
function failed(e) {
  if (isAbort(e)) return true;
  el.results.removeAttribute('aria-busy');
  return false;
}

function runSearch(st, opts) {
  setLayout('search');
  document.title = (st.q ? st.q + ' — ' : '') + APP_TITLE;
  var key = apiQuery(st);

  // Retour depuis un document : réafficher les résultats en cache sans requête.
  if (session.searchCache && session.searchCache.key === key) {
    abortPending();
    renderSearch(st, session.searchCache.data);
    restoreAfterDocument();
    return;
  }

  var mySeq = abortPending();
  setStatus('Recherche en cours…');
  el.results.setAttribute('aria-busy', 'true');
  fetchJson('/search?' + key, mySeq).then(function (data) {
    session.searchCache = { key: key, data: data };
    renderSearch(st, data);
    if (opts.focusResults && !opts.fromPop) {
      el.resultsHeading.focus();
      window.scrollTo(0, 0);
    } else if (opts.fromPop) {
      restoreAfterDocument();
    }
  }).catch(function (e) {
    if (failed(e)) return;
    el.resultsView.hidden = true;
    setStatus('');
    showError(e.message);
    if (e.status === 401) askForKey();
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
  rememberSearch(data);
  el.resultsHeading.textContent = st.q ? 'Résultats pour «' + NBSP + st.q + NBSP + '»' : 'Tous les documents';
  renderDidYouMean(st, data);
  renderExpansions(st, data);
  renderChips(st);
  renderFacets(st, data.facets || {});
  renderCharts(st, data.facets || {});
  updateShowResults(data.total);
  // Rien à exporter sur une page vide.
  if (Number(data.total) > 0) renderPageCite(st);
  else clearChildren(el.pageCite);
  el.pageCite.hidden = !(Number(data.total) > 0);
  renderSelection();
  renderResults(st, data, true);
}

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
      if (isAbort(e)) throw e;
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
    if (failed(e)) return;
    setStatus('');
    showError(e.message);
  });
}

/*
 * Les facettes viennent du serveur (GET /facets) : l'état ne se lit dans l'URL qu'une fois
 * leurs noms connus. Sans réponse, la recherche reste possible, sans filtres.
 */
fetchFacetCatalog()
  .catch(function () { return null; })
  .then(function (d) {
    setFields(d && d.fields);
    rememberCatalog(d && d.facets);
    init();
  });
