/* La vue d'un document : titre, métadonnées, liens, texte par paragraphes. */

import { askForKey } from './access.js';
import { abortPending, fetchJson, isAbort } from './api.js';
import { APP_TITLE, clearChildren, el, setLayout, setStatus, showError, visuallyHidden } from './dom.js';
import { formatDate, formatLanguage, splitParagraphs } from './format.js';
import { buildDocLinks } from './results.js';
import { facetLabel } from './fields.js';
import { pageHref, withState } from './state.js';

export function showDocument(st, opts) {
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
    renderDocFacets(st, doc);
    el.docLinks.appendChild(buildDocLinks(withState(st, { doc: null }), st.doc, doc.title));
    var paras = splitParagraphs(doc.text);
    if (!paras.length) {
      var empty = document.createElement('p');
      empty.className = 'hint';
      empty.textContent = 'Ce document ne contient pas de texte.';
      el.docText.appendChild(empty);
    }
    // Les titres d'un texte Markdown (doc.sections, dans l'ordre) redeviennent des titres ; les
    // mots de la recherche sont surlignés.
    var sections = Array.isArray(doc.sections) ? doc.sections : [];
    var next = 0;
    var words = queryStems(st.q);
    paras.forEach(function (t) {
      var s = sections[next];
      var node;
      if (s && String(s.heading).trim() === t.trim()) {
        node = document.createElement('h' + Math.min(6, 2 + (Number(s.level) || 1)));
        node.className = 'doc-heading';
        next++;
      } else {
        node = document.createElement('p');
      }
      appendHighlighted(node, t, words);
      el.docText.appendChild(node);
    });
    setStatus('Document chargé : ' + title);
  }).catch(function (e) {
    if (isAbort(e)) return;
    el.docView.removeAttribute('aria-busy');
    el.docTitle.textContent = 'Document indisponible';
    document.title = 'Document indisponible — ' + APP_TITLE;
    setStatus('');
    showError(e.message);
    if (e.status === 401) askForKey();
  });
}

/* Sans accents ni majuscules : « Coopération » → « cooperation ». */
function fold(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/* Les mots de la requête de 3 lettres ou plus, sans leur marque de pluriel ou de féminin, pour
 * reconnaître « jumelages » quand on a cherché « jumelage ». */
function queryStems(q) {
  return fold(String(q || '')).split(/[^a-z0-9]+/)
    .map(function (w) { return w.replace(/(es|s|x|e)$/, ''); })
    .filter(function (w) { return w.length >= 3; });
}

/* Le texte en nœuds texte, avec un <mark> sur chaque mot qui commence par un mot cherché. */
function appendHighlighted(node, text, stems) {
  if (!stems.length) { node.textContent = text; return; }
  var re = /[\p{L}\p{N}]+/gu;
  var last = 0;
  var m;
  while ((m = re.exec(text)) !== null) {
    var w = fold(m[0]);
    if (!stems.some(function (s) { return w.indexOf(s) === 0; })) continue;
    if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
    var mark = document.createElement('mark');
    mark.textContent = m[0];
    node.appendChild(mark);
    last = m.index + m[0].length;
  }
  if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
}

function renderDocMeta(doc) {
  var rows = [
    ['Type', doc.type],
    ['Date', doc.date ? formatDate(doc.date) : ''],
    ['Éditeur', doc.publisher],
    ['Langue', formatLanguage(doc.language)],
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

/* Thèmes, acteurs, pays et régions du document : des pastilles qui ajoutent ce filtre à la
 * recherche (la requête est gardée), comme les mots-clés d'une notice HAL. */
var FACET_ROWS = [['theme', 'Thèmes'], ['actor', 'Acteurs'], ['country', 'Pays'], ['region', 'Régions']];

function renderDocFacets(st, doc) {
  var facets = Array.isArray(doc.facets) ? doc.facets : [];
  FACET_ROWS.forEach(function (row) {
    var values = facets.filter(function (f) { return f && f.facet === row[0] && f.id != null; });
    if (!values.length || !st.f[row[0]]) return;
    var ul = document.createElement('ul');
    ul.className = 'chips doc-chips';
    values.forEach(function (v) {
      var id = String(v.id);
      var f = {};
      Object.keys(st.f).forEach(function (k) { f[k] = st.f[k].slice(); });
      if (f[row[0]].indexOf(id) < 0) f[row[0]].push(id);
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.className = 'chip';
      a.href = pageHref(withState(st, { doc: null, similar: null, page: 1, f: f }));
      a.setAttribute('data-filter-facet', row[0]);
      a.setAttribute('data-filter-value', id);
      a.appendChild(visuallyHidden('Filtrer sur ' + facetLabel(row[0]).toLocaleLowerCase('fr') + ' : '));
      a.appendChild(document.createTextNode(String(v.label || id)));
      li.appendChild(a);
      ul.appendChild(li);
    });
    addMetaRow(row[1], ul);
  });
  var path = sectionPath(doc.metadata || {});
  if (path) addMetaRow('Place dans le code', document.createTextNode(path));
}

/*
 * Le chemin d'un article de code (« …/partie-legislative/deuxieme-partie/livre-ier/
 * chapitre-iii ») lisible : « Partie législative › Deuxième partie › Livre Ier › Chapitre III ».
 * Les segments sont des clés repliées : les mots usuels retrouvent leurs accents, les chiffres
 * romains leurs capitales.
 */
var ACCENTED = {
  legislative: 'législative', reglementaire: 'réglementaire', premiere: 'première',
  deuxieme: 'deuxième', troisieme: 'troisième', quatrieme: 'quatrième', cinquieme: 'cinquième',
  sixieme: 'sixième', septieme: 'septième', huitieme: 'huitième', generales: 'générales',
  generale: 'générale', collectivites: 'collectivités', cooperation: 'coopération',
  decentralisee: 'décentralisée', etablissements: 'établissements', regions: 'régions',
  departement: 'département', departements: 'départements', regime: 'régime', elus: 'élus'
};

export function sectionPath(metadata) {
  var raw = String(metadata.section || '');
  if (!metadata.code_title || raw.indexOf('/') < 0) return '';
  var parts = raw.split('/').slice(1).filter(Boolean).map(function (seg) {
    var words = seg.split('-').map(function (w) {
      if (/^(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$/.test(w)) return w.toUpperCase();
      if (w === 'ier' || w === 'ire') return w.charAt(0).toUpperCase() + w.slice(1);
      return ACCENTED[w] || w;
    });
    var text = words.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1);
  });
  return parts.join(' \u203a ');
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
