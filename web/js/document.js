/* La vue d'un document : titre, métadonnées, liens, texte par paragraphes. */

import { abortPending, fetchJson, isAbort } from './api.js';
import { APP_TITLE, clearChildren, el, setLayout, setStatus, showError } from './dom.js';
import { formatDate, formatLanguage, splitParagraphs } from './format.js';
import { buildDocLinks } from './results.js';
import { withState } from './state.js';

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
    if (isAbort(e)) return;
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
