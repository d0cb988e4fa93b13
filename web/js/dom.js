/* Les éléments de la page et les petits constructeurs de nœuds partagés par les vues. */

/* Les éléments de index.html, par id en camelCase (« results-view » → el.resultsView). */
export var el = {};

var IDS = ['search-form', 'q', 'q-suggestions', 'status', 'error', 'results-view',
  'results-heading', 'results', 'pagination', 'prev-page', 'next-page', 'page-info', 'doc-view',
  'doc-title', 'doc-meta', 'doc-text', 'doc-links', 'back-button', 'home-link', 'filters',
  'filters-form', 'filters-toggle', 'facet-panels', 'clear-filters', 'year-from', 'year-to',
  'year-buckets', 'sort', 'page-cite', 'did-you-mean', 'active-filters', 'similar-back',
  'results-tools', 'selection-cite', 'show-results', 'page-size', 'page-numbers', 'expansions',
  'charts', 'charts-map', 'charts-timeline', 'charts-map-block', 'charts-timeline-block'];

export function $(id) { return document.getElementById(id); }

export function collectElements() {
  IDS.forEach(function (id) {
    el[id.replace(/-([a-z])/g, function (m, c) { return c.toUpperCase(); })] = $(id);
  });
}

export function visuallyHidden(text) {
  return textSpan('visually-hidden', text);
}

export function separator() {
  var s = textSpan('sep', ' · ');
  s.setAttribute('aria-hidden', 'true');
  return s;
}

export function textSpan(cls, text) {
  var s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

export function clearChildren(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

export function isModifiedClick(ev) {
  return ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey;
}

export function setStatus(text) { el.status.textContent = text; }

export function showError(msg) {
  el.error.textContent = msg;
  el.error.hidden = false;
}

export function clearError() {
  el.error.textContent = '';
  el.error.hidden = true;
}

export var APP_TITLE = 'Passerelle — recherche';

/* mode : 'search' (filtres + résultats), 'similar' ou 'doc' (une colonne). */
export function setLayout(mode) {
  el.filters.hidden = mode !== 'search';
  el.docView.hidden = mode !== 'doc';
  el.resultsTools.hidden = mode !== 'search';
  el.similarBack.hidden = mode !== 'similar';
  if (mode !== 'search') {
    el.activeFilters.hidden = true;
    el.didYouMean.hidden = true;
    el.expansions.hidden = true;
    el.charts.hidden = true;
  }
  if (mode === 'doc') el.resultsView.hidden = true;
}
