/* Les commandes des filtres : cases, période, « Tout effacer », pastilles, panneau replié. */

import { clearChildren, el, visuallyHidden } from './dom.js';
import { filterLabel, focusMoreButton, renderFacets, toggleExpanded } from './facets.js';
import { FACETS, facetLabel } from './fields.js';
import { NBSP } from './format.js';
import { activeFilterCount, cleanYear, emptyFilters, session, withState } from './state.js';

var navigate = null;       // app.js : nouvel état dans l'historique, puis rendu

/* Les changements de filtres sont une navigation : `go(state)` l'ajoute à l'historique. */
export function initFilters(go) {
  navigate = go;
  el.facetPanels.addEventListener('change', onFacetChange);
  el.facetPanels.addEventListener('click', onFacetPanelClick);
  el.yearBuckets.addEventListener('click', onYearBucket);
  el.filtersForm.addEventListener('submit', onYearSubmit);
  el.clearFilters.addEventListener('click', onClearFilters);
  el.activeFilters.addEventListener('click', onChipClick);
  el.showResults.addEventListener('click', function () {
    setFiltersOpen(false);
    el.resultsHeading.scrollIntoView({ block: 'start' });
    el.resultsHeading.focus({ preventScroll: true });
  });
  el.filtersToggle.addEventListener('click', function () {
    setFiltersOpen(el.filtersForm.hidden);
  });
  if (window.matchMedia) {
    var narrow = window.matchMedia('(max-width: 48rem)');
    setFiltersOpen(!narrow.matches);
    var onMedia = function () { setFiltersOpen(!narrow.matches); };
    if (narrow.addEventListener) narrow.addEventListener('change', onMedia);
    else if (narrow.addListener) narrow.addListener(onMedia);
  }
}

/* Un nouveau filtre, une page 1, hors document et documents similaires. */
function refine(changes) {
  var base = { page: 1, doc: null, similar: null };
  Object.keys(changes).forEach(function (k) { base[k] = changes[k]; });
  navigate(withState(session.current, base));
}

function setFiltersOpen(open) {
  el.filtersForm.hidden = !open;
  el.filtersToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  updateFiltersToggleText();
}

/* « Voir les 73 résultats » (« Voir le résultat », « Aucun résultat ») sous les filtres, sur
 * les écrans où ils sont au-dessus des résultats (la feuille de style le montre là seulement). */
export function updateShowResults(total) {
  var n = Number(total) || 0;
  el.showResults.textContent = n === 0 ? 'Aucun résultat : voir la liste'
    : n === 1 ? 'Voir le résultat' : 'Voir les ' + n.toLocaleString('fr-FR') + ' résultats';
  el.showResults.hidden = false;
}

export function updateFiltersToggleText() {
  var n = session.current ? activeFilterCount(session.current) : 0;
  var open = !el.filtersForm.hidden;
  el.filtersToggle.textContent = (open ? 'Masquer les filtres' : 'Afficher les filtres') +
    (n ? ' (' + n + ' actif' + (n > 1 ? 's' : '') + ')' : '');
}

function onFacetChange(ev) {
  var box = ev.target;
  if (!box || box.type !== 'checkbox' || !box.hasAttribute('data-facet')) return;
  var facet = box.getAttribute('data-facet');
  var value = box.value;
  var list = session.current.f[facet].filter(function (v) { return v !== value; });
  if (box.checked) list.push(value);
  var f = withState(session.current, {}).f;
  f[facet] = list;
  refine({ f: f });
}

function onFacetPanelClick(ev) {
  var b = ev.target.closest ? ev.target.closest('button[data-more]') : null;
  if (!b) return;
  var facet = b.getAttribute('data-more');
  toggleExpanded(facet);
  if (session.searchCache) renderFacets(session.current, session.searchCache.data.facets || {});
  focusMoreButton(facet);
}

function onYearSubmit(ev) {
  ev.preventDefault();
  var from = cleanYear(el.yearFrom.value);
  var to = cleanYear(el.yearTo.value);
  if (from && to && Number(from) > Number(to)) { var t = from; from = to; to = t; }
  refine({ yearFrom: from, yearTo: to });
}

function onYearBucket(ev) {
  var b = ev.target.closest ? ev.target.closest('button[data-year]') : null;
  if (!b) return;
  var y = b.getAttribute('data-year');
  var same = session.current.yearFrom === y && session.current.yearTo === y;
  refine({ yearFrom: same ? '' : y, yearTo: same ? '' : y });
}

function onClearFilters() {
  refine({ f: emptyFilters(), yearFrom: '', yearTo: '' });
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
    var f = withState(session.current, {}).f;
    f[facet] = f[facet].filter(function (v) { return v !== value; });
    changes.f = f;
  }
  navigate(withState(session.current, changes));
  // Le focus va à la pastille suivante (ou au titre des résultats).
  setTimeout(function () {
    var next = el.activeFilters.querySelector('button');
    (next || el.resultsHeading).focus();
  }, 0);
}

/*
 * Les filtres actifs tels que la page les nomme (« Pays : Sénégal », « Période : 2019–2021 ») :
 * les pastilles et le message « Aucun résultat … avec le filtre … » disent la même chose.
 */
export function describeFilters(st) {
  var chips = [];
  FACETS.forEach(function (k) {
    st.f[k].forEach(function (v) {
      chips.push({ facet: k, value: v, text: facetLabel(k) + NBSP + ': ' + filterLabel(k, v) });
    });
  });
  if (st.yearFrom || st.yearTo) {
    var t = st.yearFrom && st.yearTo
      ? (st.yearFrom === st.yearTo ? st.yearFrom : st.yearFrom + '–' + st.yearTo)
      : (st.yearFrom ? 'depuis ' + st.yearFrom : 'jusqu’à ' + st.yearTo);
    chips.push({ facet: 'year', value: '', text: 'Période' + NBSP + ': ' + t });
  }
  return chips;
}

/* Les pastilles des filtres actifs ; un clic retire le filtre. */
export function renderChips(st) {
  clearChildren(el.activeFilters);
  var chips = describeFilters(st);
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
