/* La liste des résultats : titres, extraits, liens (similaires, citations), pagination. */

import { clearChildren, el, separator, setStatus, textSpan, visuallyHidden } from './dom.js';
import { NBSP, formatDate, formatInt, formatMs, safeFileName } from './format.js';
import { FACETS, facetLabel } from './fields.js';
import { describeFilters } from './filters.js';
import { explainToggle } from './explain.js';
import { selectBox } from './selection.js';
import { apiQuery, hasFilters, pageHref, withState } from './state.js';

var MAX_REACHABLE = 10000;        // le serveur ne pagine pas au-delà du 10 000e résultat
var CITE_FORMATS = [
  { id: 'bibtex', label: 'BibTeX', ext: 'bib' },
  { id: 'ris', label: 'RIS', ext: 'ris' },
  { id: 'csl-json', label: 'CSL-JSON', ext: 'json' }
];

var totalPagesShown = 1;   // nombre de pages de la dernière réponse

export function lastPageShown() { return totalPagesShown; }

/*
 * Le serveur renvoie un extrait dont le texte est échappé et où seules ses propres balises
 * <mark>…</mark> sont brutes ; il est découpé en segments { text, mark } insérés comme nœuds
 * texte, jamais comme HTML. Le découpage est celui du widget (widget.js, que index.html charge
 * avant ce module) : une seule définition, et le widget reste un seul fichier.
 */
function snippetSegments(s) {
  return customElements.get('kb-search').parseSnippet(s);
}

function renderSnippet(node, s) {
  snippetSegments(s).forEach(function (seg) {
    if (seg.mark) {
      var m = document.createElement('mark');
      if (seg.via) m.className = 'via'; // un mot d'une expansion, marqué à part
      m.textContent = seg.text;
      node.appendChild(m);
    } else {
      node.appendChild(document.createTextNode(seg.text));
    }
  });
}

/* « via le thème « coopération décentralisée » » : la facette, avec son article. */
var VIA_KIND = { theme: 'le thème', country: 'le pays', actor: 'l’acteur', region: 'la région' };

/* « Aucun document sur « Sénégal » (pays) » : un concept reconnu dont aucun document ne
 * parle ; les résultats sont ceux du reste de la recherche. */
function missingConceptsText(data) {
  var missing = Array.isArray(data.missing_concepts) ? data.missing_concepts : [];
  if (!missing.length) return '';
  var named = missing.map(function (c) {
    var kind = FACETS.indexOf(c.facet) >= 0 ? facetLabel(c.facet).toLocaleLowerCase('fr') : '';
    return '«' + NBSP + String(c.label || c.typed || '') + NBSP + '»' + (kind ? ' (' + kind + ')' : '');
  });
  return 'Aucun document sur ' + named.join(', ') +
    (Number(data.total) > 0 ? ' : résultats pour le reste de la recherche.' : '.');
}

/* « Seuls 2 documents contiennent tous les mots : les résultats comprennent ceux qui n'en
 * contiennent qu'une partie » (match_mode few_all_terms, moins d'une page). */
function fewAllTermsText(data) {
  if (data.match_mode !== 'few_all_terms') return '';
  var n = Number(data.all_terms_total) || 0;
  return (n === 1 ? 'Un seul document contient tous les mots'
    : 'Seuls ' + n.toLocaleString('fr-FR') + ' documents contiennent tous les mots') +
    ' : les résultats comprennent ceux qui n’en contiennent qu’une partie.';
}

export function renderDidYouMean(st, data) {
  clearChildren(el.didYouMean);
  var alt = data.did_you_mean ? String(data.did_you_mean) : '';
  var notes = [['missing-concepts', missingConceptsText(data)],
    ['few-all-terms', fewAllTermsText(data)]].filter(function (n) { return n[1]; });
  var missing = notes.length > 0;
  var more = alt && alt !== st.q;
  notes.forEach(function (n, i) {
    var m = document.createElement('span');
    m.className = n[0];
    m.textContent = n[1];
    el.didYouMean.appendChild(m);
    if (i < notes.length - 1 || more) el.didYouMean.appendChild(document.createTextNode(' '));
  });
  if (!alt || alt === st.q) { el.didYouMean.hidden = !missing; return; }
  if (data.corrected) {
    el.didYouMean.appendChild(document.createTextNode(
      'Aucun résultat pour «' + NBSP + st.q + NBSP + '» : résultats pour «' + NBSP + alt + NBSP + '».'));
  } else {
    el.didYouMean.appendChild(document.createTextNode('Essayez avec l’orthographe : '));
    var a = document.createElement('a');
    a.href = pageHref(withState(st, { q: alt, page: 1 }));
    a.setAttribute('data-query', alt);
    a.textContent = alt;
    el.didYouMean.appendChild(a);
  }
  el.didYouMean.hidden = false;
}

/*
 * « Recherche élargie à : APD → aide publique au développement (thème) [Retirer] » : chaque
 * mot élargi (concept, sigle, synonymes, traduction) peut être retiré ; le retirer met ce mot
 * entre guillemets dans la requête, la syntaxe qui demande le mot tel quel (README), si bien
 * que l'utilisateur voit ce qui a changé. Le serveur écrit chaque expansion « tapé → ajouté
 * (nature) » (core/search/query/expansion.cpp).
 */
var EXPANSION_KINDS = { theme: 'thème', country: 'pays', actor: 'acteur', region: 'région' };

export function renderExpansions(st, data) {
  clearChildren(el.expansions);
  var list = Array.isArray(data.expansions) ? data.expansions.map(String) : [];
  var byTyped = [];
  list.forEach(function (e) {
    var cut = e.indexOf(' \u2192 ');
    if (cut <= 0) return;
    var typed = e.slice(0, cut);
    var added = e.slice(cut + 3).replace(/\(([a-z]+)\)$/, function (m, k) {
      return '(' + (EXPANSION_KINDS[k] || k) + ')';
    });
    var group = byTyped.filter(function (g) { return g.typed === typed; })[0];
    if (!group) byTyped.push(group = { typed: typed, added: [] });
    if (group.added.indexOf(added) < 0) group.added.push(added);
  });
  if (!byTyped.length || !st.q) { el.expansions.hidden = true; return; }
  el.expansions.appendChild(document.createTextNode('Recherche élargie' + NBSP + ': '));
  var ul = document.createElement('ul');
  ul.className = 'expansion-list';
  byTyped.forEach(function (g) {
    var li = document.createElement('li');
    li.appendChild(document.createTextNode(g.typed + ' \u2192 ' + g.added.join(' ; ') + ' '));
    var at = wordAt(st.q, g.typed);
    if (at >= 0) {
      var q = st.q.slice(0, at) + '"' + g.typed + '"' + st.q.slice(at + g.typed.length);
      var a = document.createElement('a');
      a.href = pageHref(withState(st, { q: q, page: 1 }));
      a.setAttribute('data-query', q);
      a.className = 'expansion-remove';
      a.textContent = 'Retirer';
      a.appendChild(visuallyHidden(' l’élargissement de «' + NBSP + g.typed + NBSP + '»'));
      li.appendChild(a);
    }
    ul.appendChild(li);
  });
  el.expansions.appendChild(ul);
  el.expansions.hidden = false;
}

/* Où `words` commence dans `q` comme mots entiers (pas « APD » dans « CAPDEV »), ou -1. */
function wordAt(q, words) {
  var from = 0;
  for (;;) {
    var at = q.indexOf(words, from);
    if (at < 0) return -1;
    var before = at > 0 ? q.charAt(at - 1) : '';
    var after = q.charAt(at + words.length);
    if (!/[\p{L}\p{N}"]/u.test(before) && !/[\p{L}\p{N}"]/u.test(after)) return at;
    from = at + 1;
  }
}

export function renderResults(st, data, withPagination) {
  el.results.removeAttribute('aria-busy');
  clearChildren(el.results);
  var hits = Array.isArray(data.hits) ? data.hits : [];
  var total = Number(data.total) || 0;
  var size = Number(data.size) || st.size;
  var page = Number(data.page) || st.page;
  el.resultsView.hidden = false;

  if (total === 0) {
    setStatus(noResultText(st));
    el.results.appendChild(emptyItem(hasFilters(st)
      ? 'Aucun document ne correspond. Retirez un filtre ou modifiez la recherche.'
      : 'Aucun document ne correspond. Modifiez la recherche.'));
    el.pagination.hidden = true;
    return;
  }

  // « Plus de » : le serveur a compté jusque-là et n'en dit pas plus ; « Environ » : une estimation.
  var relation = data.total_relation === 'gte' ? 'Plus de '
    : data.total_exact === false ? 'Environ ' : '';
  setStatus(relation + formatInt(total) +
    (total > 1 ? ' résultats' : ' résultat') +
    (data.took_ms != null ? ' (' + formatMs(data.took_ms) + NBSP + 'ms)' : ''));

  hits.forEach(function (hit, n) {
    el.results.appendChild(renderHit(st, hit, n));
  });

  if (hits.length === 0) el.results.appendChild(emptyItem('Cette page ne contient aucun résultat.'));

  var totalPages = Math.max(1, Math.ceil(Math.min(total, MAX_REACHABLE) / size));
  totalPagesShown = totalPages;
  el.pagination.hidden = !withPagination || (totalPages <= 1 && page <= 1);
  el.prevPage.disabled = page <= 1;
  el.nextPage.disabled = page >= totalPages;
  el.pageInfo.textContent = 'Page ' + formatInt(page) + ' sur ' + formatInt(totalPages);
  renderPageNumbers(st, page, totalPages);
  el.results.start = withPagination ? (page - 1) * size + 1 : 1;
}

/*
 * « Aucun résultat pour « eau » avec le filtre Pays : Sénégal » : sous des filtres, le
 * message nomme ceux qui ont vidé la liste, par leurs libellés (accentués).
 */
function noResultText(st) {
  var text = 'Aucun résultat' + (st.q ? ' pour «' + NBSP + st.q + NBSP + '»' : '');
  var filters = describeFilters(st).map(function (c) { return c.text; });
  if (!filters.length) return text;
  var list = filters.length === 1 ? filters[0]
    : filters.slice(0, -1).join(', ') + ' et ' + filters[filters.length - 1];
  return text + (filters.length === 1 ? ' avec le filtre ' : ' avec les filtres ') + list;
}

function emptyItem(text) {
  var li = document.createElement('li');
  li.className = 'result result-empty';
  li.textContent = text;
  return li;
}

function renderHit(st, hit, n) {
  var li = document.createElement('li');
  li.className = 'result';
  var id = String(hit.id == null ? '' : hit.id);

  var h = document.createElement('h3');
  h.className = 'result-title';
  var a = document.createElement('a');
  a.href = pageHref(withState(st, { doc: id }));
  a.setAttribute('data-doc-id', id);
  a.textContent = hit.title ? String(hit.title) : '(Sans titre)';
  h.appendChild(a);
  li.appendChild(h);

  var meta = buildMetaLine(hit);
  if (meta) li.appendChild(meta);

  // Où est le passage trouvé : sa section (titres d'un texte Markdown) et sa page, qui ouvre
  // le PDF d'origine à cette page quand il est en ligne.
  var where = [];
  if (hit.heading) where.push(document.createTextNode('Section' + NBSP + ': ' + String(hit.heading)));
  var pageNo = Number(hit.page) || 0;
  if (pageNo > 0) {
    var url = String(hit.url || '');
    var label = 'page' + NBSP + formatInt(pageNo);
    if (/^https?:\/\//i.test(url)) {
      var pa = document.createElement('a');
      pa.href = url.replace(/#.*$/, '') + '#page=' + pageNo;
      pa.rel = 'noopener noreferrer';
      pa.className = 'result-page';
      pa.textContent = label;
      pa.appendChild(visuallyHidden(' du document d’origine'));
      where.push(pa);
    } else {
      where.push(textSpan('result-page', label));
    }
  }
  if (where.length) {
    var section = document.createElement('p');
    section.className = 'result-section';
    where.forEach(function (node, i) {
      if (i > 0) { section.appendChild(separator()); section.appendChild(document.createTextNode(' ')); }
      section.appendChild(node);
    });
    li.appendChild(section);
  }

  if (hit.snippet) {
    var p = document.createElement('p');
    p.className = 'snippet';
    renderSnippet(p, hit.snippet); // des nœuds texte et les <mark> du serveur, jamais du HTML
    li.appendChild(p);
  }

  // Trouvé par un concept seul (ses autres libellés ou sa facette), pas par les mots tapés.
  if (Array.isArray(hit.via) && hit.via.length) {
    var via = document.createElement('p');
    via.className = 'result-via';
    via.textContent = hit.via.map(function (c) {
      var kind = VIA_KIND[c.facet] || '';
      return 'via ' + (kind ? kind + ' ' : '') + '«' + NBSP + String(c.label || '') + NBSP + '»';
    }).join(' ; ');
    li.appendChild(via);
  }

  var links = buildDocLinks(st, id, hit.title);
  links.insertBefore(selectBox(id, hit.title ? String(hit.title) : '', n), links.firstChild);
  li.appendChild(links);
  if (st.q) li.appendChild(explainToggle(st, id)); // sans mots, l'ordre est celui des dates
  return li;
}

/* « Documents similaires » et « Citer : BibTeX · RIS · CSL-JSON » pour un document. */
export function buildDocLinks(st, id, title) {
  var p = document.createElement('p');
  p.className = 'result-links';
  var name = title ? String(title) : id;
  var sim = document.createElement('a');
  sim.href = pageHref(withState(st, { doc: null, similar: id, page: 1 }));
  sim.setAttribute('data-similar-id', id);
  sim.textContent = 'Documents similaires';
  sim.appendChild(visuallyHidden(' à «' + NBSP + name + NBSP + '»'));
  p.appendChild(sim);

  var cite = document.createElement('span');
  cite.className = 'cite';
  cite.appendChild(document.createTextNode('Citer' + NBSP + ': '));
  appendCiteLinks(cite, function (fmt) {
    return {
      href: '/documents/' + encodeURIComponent(id) + '/cite?format=' + fmt.id,
      file: safeFileName(id) + '.' + fmt.ext,
      hint: ' (citation de «' + NBSP + name + NBSP + '»)'
    };
  });
  p.appendChild(cite);
  return p;
}

/* 1 … 4 5 [6] 7 8 … 40 : la première, la dernière et deux de chaque côté de la page courante. */
function renderPageNumbers(st, page, totalPages) {
  clearChildren(el.pageNumbers);
  var shown = [];
  for (var n = 1; n <= totalPages; n++) {
    if (n === 1 || n === totalPages || Math.abs(n - page) <= 2) shown.push(n);
  }
  shown.forEach(function (n, i) {
    if (i > 0 && n - shown[i - 1] > 1) {
      var gap = document.createElement('li');
      gap.appendChild(textSpan('page-gap', '…'));
      gap.setAttribute('aria-hidden', 'true');
      el.pageNumbers.appendChild(gap);
    }
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = pageHref(withState(st, { page: n, doc: null }));
    a.setAttribute('data-page', String(n));
    a.textContent = formatInt(n);
    a.setAttribute('aria-label', 'Page ' + formatInt(n));
    if (n === page) a.setAttribute('aria-current', 'page');
    li.appendChild(a);
    el.pageNumbers.appendChild(li);
  });
  el.pageNumbers.hidden = totalPages <= 1;
}

/* « Exporter cette page : BibTeX · RIS · CSL-JSON ». */
export function renderPageCite(st) {
  clearChildren(el.pageCite);
  el.pageCite.appendChild(document.createTextNode('Exporter cette page' + NBSP + ': '));
  appendCiteLinks(el.pageCite, function (fmt) {
    return {
      href: '/search/cite?' + apiQuery(st) + '&format=' + fmt.id,
      file: 'passerelle-resultats.' + fmt.ext,
      hint: ' (citations des résultats de cette page)'
    };
  });
}

/* Un lien de téléchargement par format de citation, séparés par « · ». */
function appendCiteLinks(parent, linkFor) {
  CITE_FORMATS.forEach(function (fmt, i) {
    if (i > 0) parent.appendChild(separator());
    var link = linkFor(fmt);
    var a = document.createElement('a');
    a.href = link.href;
    a.setAttribute('download', link.file);
    a.textContent = fmt.label;
    a.appendChild(visuallyHidden(link.hint));
    parent.appendChild(a);
  });
}

/* Auteurs et date d'abord, comme une référence bibliographique ; puis le type et l'éditeur. */
function buildMetaLine(hit) {
  var parts = [];
  var authors = Array.isArray(hit.authors) ? hit.authors.map(String).filter(Boolean) : [];
  if (authors.length) parts.push(textSpan('result-authors', authors.join(', ')));
  if (hit.date) {
    var t = document.createElement('time');
    t.className = 'result-date';
    if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(String(hit.date))) t.dateTime = String(hit.date);
    t.textContent = formatDate(hit.date);
    parts.push(t);
  }
  if (hit.type) parts.push(textSpan('result-type', String(hit.type)));
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
