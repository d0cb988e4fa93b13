/* Les listes de facettes du panneau de filtres : cases à cocher, pays par région, années. */

import { $, clearChildren, el, visuallyHidden } from './dom.js';
import { FACETS, RANGE_FACET, facetLabel } from './fields.js';
import { NBSP, formatInt } from './format.js';

/* Les pays sont groupés par région : la facette « region » n'a pas de panneau à elle. */
var GROUPED_BY = { country: 'region' };
/* Un intitulé de panneau plus long que celui de la table (la pastille dit « Type : … »). */
var PANEL_HEADINGS = { type: 'Type de document' };
var FACET_COLLAPSED = 8;   // valeurs visibles avant « Afficher plus »
var APPROX_TITLE = 'Estimation sur un échantillon des résultats';

var facetsApprox = false;  // vrai quand le serveur a compté sur un échantillon (facets_exact: false)
var labelsById = {};       // « theme:eau » → « eau et assainissement » (pastilles)
var groupLabels = {};      // libellés des groupes (les régions : GET /facets, region_label)
var parentsById = {};      // « country:SN » → « afrique-de-l-ouest » (filtres sans document)
var expanded = {};         // panneaux de facettes dépliés (« Afficher plus »)

/* Les valeurs de GET /facets : libellés des régions (groupes de pays) et des pastilles. */
export function rememberCatalog(facets) {
  facets = facets || {};
  Object.keys(GROUPED_BY).forEach(function (k) {
    (facets[GROUPED_BY[k]] || []).forEach(function (r) { groupLabels[r.id] = r.label; });
  });
  rememberLabels(facets);
}

/* Les panneaux, dans l'ordre du serveur, sans les facettes qui groupent les valeurs d'une autre. */
function panels() {
  var groups = Object.keys(GROUPED_BY).map(function (k) { return GROUPED_BY[k]; });
  return FACETS.filter(function (k) { return groups.indexOf(k) < 0; }).map(function (k) {
    return { id: k, label: PANEL_HEADINGS[k] || facetLabel(k) };
  });
}

/*
 * Retient les libellés et la précision des comptes d'une réponse de /search. « filters » donne
 * le libellé des filtres appliqués même quand aucun document ne les porte (« Sénégal »), et la
 * région d'un pays ; un libellé déjà connu (GET /facets, accentué) est gardé.
 */
export function rememberSearch(data) {
  rememberLabels(data.facets);
  (Array.isArray(data.filters) ? data.filters : []).forEach(function (f) {
    if (!f || f.field == null || f.id == null) return;
    var key = f.field + ':' + f.id;
    if (!labelsById[key] && f.label) labelsById[key] = String(f.label);
    if (f.region) parentsById[key] = String(f.region);
    if (f.region && f.region_label) groupLabels[f.region] = String(f.region_label);
  });
  facetsApprox = data.facets_exact === false;
}

function rememberLabels(facets) {
  Object.keys(facets || {}).forEach(function (k) {
    (facets[k] || []).forEach(function (v) {
      if (v && v.id != null) rememberLabel(k, v.id, String(v.label || v.id));
      if (v && v.region && v.region_label) groupLabels[v.region] = String(v.region_label);
    });
  });
}

export function rememberLabel(facet, id, label) {
  labelsById[facet + ':' + id] = label;
}

export function filterLabel(facet, value) {
  return labelsById[facet + ':' + value] || value;
}

/* « Afficher plus » / « Afficher moins » d'un panneau. */
export function toggleExpanded(facet) {
  expanded[facet] = !expanded[facet];
}

/*
 * Groupe les pays par région : chaque pays porte l'id de sa région, dont le
 * libellé vient de la facette « region » (ou d'une table de secours).
 * Retourne [{ id, label, values: [...] }] dans l'ordre des régions.
 */
function groupValues(values, groupsFacet, fallbackLabels) {
  var order = [];
  var labels = {};
  (groupsFacet || []).forEach(function (r) {
    labels[r.id] = r.label;
    order.push(r.id);
  });
  var groups = {};
  (values || []).forEach(function (c) {
    var rid = c.region ? String(c.region) : '';
    if (!groups[rid]) groups[rid] = [];
    groups[rid].push(c);
  });
  Object.keys(groups).forEach(function (rid) {
    if (order.indexOf(rid) < 0) order.push(rid);
  });
  return order.filter(function (rid) { return groups[rid]; }).map(function (rid) {
    // Le libellé de la région tel que le catalogue l'écrit (« Europe de l'Ouest »), jamais sa
    // clé repliée (« europe-de-l-ouest »).
    var label = labels[rid] || (fallbackLabels && fallbackLabels[rid]) ||
      groups[rid][0].region_label || 'Autres pays';
    return { id: rid, label: label, values: groups[rid] };
  });
}

function facetInputId(facet, value) {
  return 'f-' + facet + '-' + String(value).replace(/[^A-Za-z0-9_-]/g, function (c) {
    return '_' + c.charCodeAt(0).toString(16);
  });
}

export function renderFacets(st, facets) {
  // Garder le focus clavier sur la même case après le nouveau rendu.
  var active = document.activeElement;
  var focusId = active && el.facetPanels.contains(active) ? active.id : '';
  var focusMore = active && active.hasAttribute && active.hasAttribute('data-more')
    ? active.getAttribute('data-more') : '';

  clearChildren(el.facetPanels);
  panels().forEach(function (panel) {
    var values = (facets[panel.id] || []).slice();
    // Les valeurs cochées restent visibles même si leur compte tombe à zéro.
    st.f[panel.id].forEach(function (v) {
      var found = values.some(function (x) { return String(x.id) === v; });
      if (!found) {
        values.push({ id: v, label: filterLabel(panel.id, v), count: 0,
          region: parentsById[panel.id + ':' + v] || '' });
      }
    });
    if (!values.length) return;

    var fs = document.createElement('fieldset');
    fs.className = 'facet';
    fs.id = 'facet-' + panel.id;
    var legend = document.createElement('legend');
    legend.textContent = panel.label;
    fs.appendChild(legend);
    var by = GROUPED_BY[panel.id];
    if (by) appendGroups(fs, st, panel.id, values, facets[by]);
    else appendValues(fs, st, panel, values);
    el.facetPanels.appendChild(fs);
  });
  renderYearBuckets(st, facets[RANGE_FACET] || []);

  if (focusId && $(focusId)) $(focusId).focus();
  else if (focusMore) focusMoreButton(focusMore);
}

export function focusMoreButton(facet) {
  var again = el.facetPanels.querySelector('button[data-more="' + facet + '"]');
  if (again) again.focus();
}

/*
 * Les pays par région ; chaque région est elle-même une case (facette « region ») : la cocher
 * filtre sur toute la région, ses pays restent à cocher un par un. Une région qui a des
 * documents sans pays nommé a sa case seule.
 */
function appendGroups(fs, st, facet, values, groups) {
  var by = GROUPED_BY[facet];
  var counts = {};
  (groups || []).forEach(function (r) { counts[r.id] = r.count; });
  var listed = groupValues(values, groups, groupLabels);
  var seen = listed.map(function (g) { return g.id; });
  (groups || []).forEach(function (r) {
    if (seen.indexOf(r.id) < 0) listed.push({ id: r.id, label: r.label || groupLabels[r.id] || r.id, values: [] });
  });
  st.f[by].forEach(function (rid) { // une région cochée reste visible, même sans document
    if (seen.indexOf(rid) < 0 && !listed.some(function (g) { return g.id === rid; })) {
      listed.push({ id: rid, label: filterLabel(by, rid), values: [] });
    }
  });
  listed.forEach(function (g, gi) {
    var group = document.createElement('div');
    group.className = 'facet-group';
    group.setAttribute('role', 'group');
    var gl = document.createElement('p');
    gl.className = 'facet-group-label';
    gl.id = 'facet-' + facet + '-g' + gi;
    if (g.id && st.f[by]) {
      gl.appendChild(valueBox(st, by, { id: g.id, label: g.label, count: counts[g.id] || 0 },
        ' (toute la région)'));
    } else {
      gl.textContent = g.label;
    }
    group.setAttribute('aria-labelledby', gl.id);
    group.appendChild(gl);
    if (g.values.length) group.appendChild(facetList(st, facet, g.values));
    fs.appendChild(group);
  });
}

var FACET_SEARCH_FROM = 12; // une boîte de recherche au-dessus des listes plus longues
var facetQueries = {};     // ce qui est tapé dans la boîte de chaque panneau

function appendValues(fs, st, panel, values) {
  var query = facetQueries[panel.id] || '';
  if (values.length > FACET_SEARCH_FROM) fs.appendChild(facetSearchBox(st, panel, values));
  if (query) {
    fs.appendChild(matchingList(st, panel, values, query));
    return;
  }
  var limit = expanded[panel.id] ? values.length : FACET_COLLAPSED;
  // Les valeurs cochées au-delà de la limite sont remontées.
  var shown = values.slice(0, limit);
  values.slice(limit).forEach(function (v) {
    if (st.f[panel.id].indexOf(String(v.id)) >= 0) shown.push(v);
  });
  fs.appendChild(facetList(st, panel.id, shown));
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

/* Sans accents ni majuscules, pour comparer ce qui est tapé aux libellés. */
function fold(s) {
  return String(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/* Les valeurs dont un mot du libellé commence par ce qui est tapé (« coop » → « Coopération
 * décentralisée », « dec » aussi), toutes, au-delà de « Afficher plus ». */
function matchingList(st, panel, values, query) {
  var q = fold(query).trim();
  var found = values.filter(function (v) {
    return fold(v.label || v.id).split(/[^a-z0-9]+/).some(function (w) { return w.indexOf(q) === 0; }) ||
      fold(v.label || v.id).indexOf(q) === 0;
  });
  if (!found.length) {
    var none = document.createElement('p');
    none.className = 'facet-none';
    none.textContent = 'Aucune valeur ne correspond à «' + NBSP + query + NBSP + '».';
    return none;
  }
  return facetList(st, panel.id, found);
}

function facetSearchBox(st, panel, values) {
  var wrap = document.createElement('div');
  wrap.className = 'facet-search';
  var input = document.createElement('input');
  input.type = 'search';
  input.id = 'facet-search-' + panel.id;
  input.setAttribute('data-facet-search', panel.id);
  input.setAttribute('autocomplete', 'off');
  input.setAttribute('aria-label', 'Chercher dans la liste : ' + panel.label.toLowerCase());
  input.placeholder = 'Chercher un ' + (panel.id === 'type' ? 'type' : panel.label.toLowerCase()) + '…';
  input.value = facetQueries[panel.id] || '';
  input.addEventListener('input', function () {
    facetQueries[panel.id] = input.value;
    var fs = input.closest('fieldset');
    // Tout ce qui suit la boîte est refait ; la boîte garde le focus et le curseur.
    while (wrap.nextSibling) fs.removeChild(wrap.nextSibling);
    var tail = document.createElement('div');
    appendValues(tail, st, panel, values);
    tail.removeChild(tail.firstChild); // la boîte recréée : on garde celle-ci
    while (tail.firstChild) fs.appendChild(tail.firstChild);
  });
  wrap.appendChild(input);
  return wrap;
}

function facetList(st, facet, values) {
  var ul = document.createElement('ul');
  ul.className = 'facet-values';
  values.forEach(function (v) {
    var li = document.createElement('li');
    li.appendChild(valueBox(st, facet, v, ''));
    ul.appendChild(li);
  });
  return ul;
}

/* Une case et son libellé « Sénégal (12) » ; `hint` n'est dit qu'aux lecteurs d'écran. */
function valueBox(st, facet, v, hint) {
  var value = String(v.id);
  var wrap = document.createDocumentFragment();
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
  label.appendChild(name);
  if (hint) label.appendChild(visuallyHidden(hint));
  label.appendChild(countSpan(v.count, ' ('));
  wrap.appendChild(box);
  wrap.appendChild(label);
  return wrap;
}

/*
 * Le nombre de documents d'une valeur, précédé de « ≈ » quand c'est une estimation ; les
 * parenthèses et « documents » ne sont dits qu'aux lecteurs d'écran.
 */
function countSpan(count, open) {
  var c = document.createElement('span');
  c.className = 'count';
  c.appendChild(visuallyHidden(open));
  c.appendChild(document.createTextNode(
    (facetsApprox ? '\u2248' + NBSP : '') + formatInt(Number(count) || 0)));
  if (facetsApprox) c.title = APPROX_TITLE;
  c.appendChild(visuallyHidden(Number(count) === 1 ? ' document)' : ' documents)'));
  return c;
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
    b.appendChild(countSpan(y.count, '('));
    li.appendChild(b);
    ul.appendChild(li);
  });
  el.yearBuckets.appendChild(ul);
}
