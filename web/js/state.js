/* L'état de la page (requête, page, tri, filtres, document ouvert) et son reflet dans l'URL. */

import { FACETS } from './fields.js';

export var DEFAULT_SIZE = 10;
var MAX_SIZE = 100;
var SORTS = ['relevance', 'date', 'date_asc'];

/* Ce que plusieurs modules lisent : l'état affiché et les derniers résultats. */
export var session = {
  current: null,      // état affiché
  searchCache: null   // { key, data } : derniers résultats affichés
};

export function emptyFilters() {
  var f = {};
  FACETS.forEach(function (k) { f[k] = []; });
  return f;
}

export function cleanYear(v) {
  v = String(v == null ? '' : v).trim();
  return /^\d{1,4}$/.test(v) ? String(parseInt(v, 10)) : '';
}

/*
 * L'état complet de la page vient de l'URL (partageable, bouton Précédent) :
 * q, page, size, sort, une liste par facette (theme, country…, répétables),
 * year_from, year_to, doc (document ouvert), similar (documents similaires).
 */
export function parseState(search) {
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
export function withState(st, changes) {
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
export function buildQuery(st) {
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

/* Le lien de la page vers cet état. */
export function pageHref(st) {
  return location.pathname + buildQuery(st);
}

/* Les paramètres de GET /search (et /search/cite) pour cet état. */
export function apiQuery(st) {
  var p = new URLSearchParams();
  p.set('q', st.q || '');
  p.set('page', String(st.page || 1));
  p.set('size', String(st.size || DEFAULT_SIZE));
  appendSearchParams(p, st);
  return p.toString();
}

/* Les filtres de cet état en paramètres de GET /suggest : chaque suggestion trouve au moins
 * un document sous eux. */
export function filterQuery(st) {
  var p = new URLSearchParams();
  FACETS.forEach(function (k) {
    ((st.f && st.f[k]) || []).forEach(function (v) { p.append(k, v); });
  });
  if (st.yearFrom) p.set('year_from', st.yearFrom);
  if (st.yearTo) p.set('year_to', st.yearTo);
  return p.toString();
}

/* Le nombre de filtres actifs (la période compte pour un). */
export function activeFilterCount(st) {
  var n = 0;
  FACETS.forEach(function (k) { n += st.f[k].length; });
  if (st.yearFrom || st.yearTo) n++;
  return n;
}

export function hasFilters(st) {
  return activeFilterCount(st) > 0;
}
