/*
 * La sélection de résultats à exporter : des cases « Sélectionner » dans la liste, gardées
 * d'une page de résultats à l'autre, et « Exporter la sélection : BibTeX · RIS · CSL-JSON »
 * (GET /cite?ids=…). Elle vit le temps de l'onglet.
 */

import { clearChildren, el, separator, visuallyHidden } from './dom.js';
import { NBSP, formatInt } from './format.js';

var MAX_SELECTED = 500;   // ce que GET /cite accepte en une fois
var FORMATS = [
  { id: 'bibtex', label: 'BibTeX', ext: 'bib' },
  { id: 'ris', label: 'RIS', ext: 'ris' },
  { id: 'csl-json', label: 'CSL-JSON', ext: 'json' }
];

var selected = [];        // ids, dans l'ordre où ils ont été cochés

export function isSelected(id) { return selected.indexOf(id) >= 0; }

/* La case d'un résultat ; `n` la rend unique dans la liste. */
export function selectBox(id, title, n) {
  var label = document.createElement('label');
  label.className = 'select-hit';
  var box = document.createElement('input');
  box.type = 'checkbox';
  box.id = 'select-' + n;
  box.setAttribute('data-select-id', id);
  box.checked = isSelected(id);
  label.appendChild(box);
  label.appendChild(document.createTextNode(' Sélectionner'));
  label.appendChild(visuallyHidden(' «' + NBSP + (title || id) + NBSP + '» pour l’export'));
  return label;
}

export function initSelection() {
  el.results.addEventListener('change', function (ev) {
    var box = ev.target;
    if (!box || !box.hasAttribute || !box.hasAttribute('data-select-id')) return;
    var id = box.getAttribute('data-select-id');
    selected = selected.filter(function (x) { return x !== id; });
    if (box.checked) {
      if (selected.length >= MAX_SELECTED) {
        box.checked = false;
      } else {
        selected.push(id);
      }
    }
    renderSelection();
  });
  el.selectionCite.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-clear-selection]') : null;
    if (!b) return;
    selected = [];
    var boxes = el.results.querySelectorAll('input[data-select-id]');
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = false;
    renderSelection();
    el.resultsHeading.focus();
  });
}

/* « 2 documents sélectionnés — Exporter la sélection : BibTeX · RIS · CSL-JSON · Vider ». */
export function renderSelection() {
  var bar = el.selectionCite;
  clearChildren(bar);
  bar.hidden = selected.length === 0;
  if (!selected.length) return;
  var n = selected.length;
  bar.appendChild(document.createTextNode(formatInt(n) + (n > 1 ? ' documents sélectionnés' :
    ' document sélectionné') + (n >= MAX_SELECTED ? ' (au plus ' + formatInt(MAX_SELECTED) + ')' : '') +
    ' — Exporter la sélection' + NBSP + ': '));
  var ids = selected.map(encodeURIComponent).join(',');
  FORMATS.forEach(function (fmt, i) {
    if (i > 0) bar.appendChild(separator());
    var a = document.createElement('a');
    a.href = '/cite?ids=' + ids + '&format=' + fmt.id;
    a.setAttribute('download', 'passerelle-selection.' + fmt.ext);
    a.setAttribute('data-selection-format', fmt.id);
    a.textContent = fmt.label;
    a.appendChild(visuallyHidden(' (citations des documents sélectionnés)'));
    bar.appendChild(a);
  });
  bar.appendChild(separator());
  var clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'link-button';
  clear.setAttribute('data-clear-selection', '');
  clear.textContent = 'Vider la sélection';
  bar.appendChild(clear);
}
