/* L'autocomplétion du champ de recherche (motif ARIA « combobox »). */

import { fetchSuggestions } from './api.js';
import { clearChildren, el } from './dom.js';
import { rememberLabel } from './facets.js';
import { FACETS, facetLabel } from './fields.js';
import { filterQuery, session, withState } from './state.js';
import { formatInt } from './format.js';

/* Ce qu'est une suggestion, après son texte ; une facette se nomme par son intitulé. */
var OTHER_KINDS = { term: 'mot', title: 'document' };

var NBSP_S = '\u00a0';

var sugg = { items: [], active: -1, timer: 0, ctrl: null, seq: 0 };
var navigate = null;       // app.js : nouvel état dans l'historique, puis rendu

export function initSuggest(go) {
  navigate = go;
  el.q.addEventListener('input', function () {
    clearTimeout(sugg.timer);
    var v = el.q.value.trim();
    if (v.length < 2) { closeSuggestions(); return; }
    sugg.timer = setTimeout(function () { loadSuggestions(v); }, 150);
  });
  el.q.addEventListener('keydown', onSuggestKey);
  el.q.addEventListener('blur', function () { setTimeout(closeSuggestions, 150); });
  el.qSuggestions.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
  el.qSuggestions.addEventListener('click', function (ev) {
    var li = ev.target.closest ? ev.target.closest('[role="option"]') : null;
    if (li) pickSuggestion(Number(li.getAttribute('data-index')));
  });
}

function loadSuggestions(v) {
  var my = ++sugg.seq;
  if (sugg.ctrl) { try { sugg.ctrl.abort(); } catch (e) { /* ignore */ } }
  sugg.ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
  fetchSuggestions(v, sugg.ctrl ? sugg.ctrl.signal : undefined,
    session.current ? filterQuery(session.current) : '')
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
    var kind = suggestionKind(s.kind);
    if (kind && s.kind !== 'term') {
      var k = document.createElement('span');
      k.className = 'suggestion-kind';
      // Ce qu'est la suggestion et, pour un concept, ce qui l'a fait venir.
      k.textContent = ' ' + kind + (s.matched ? ', via «' + NBSP_S + s.matched + NBSP_S + '»' : '');
      li.appendChild(k);
    }
    if (s.count > 0 && s.kind !== 'title') {
      var c = document.createElement('span');
      c.className = 'suggestion-count';
      c.textContent = ' ' + formatInt(s.count) + (s.count >= 1000 ? '+' : '') +
        (s.count > 1 ? ' documents' : ' document');
      li.appendChild(c);
    }
    el.qSuggestions.appendChild(li);
  });
  el.qSuggestions.hidden = false;
  el.q.setAttribute('aria-expanded', 'true');
}

function suggestionKind(kind) {
  if (FACETS.indexOf(kind) >= 0) return facetLabel(kind).toLocaleLowerCase('fr');
  return Object.prototype.hasOwnProperty.call(OTHER_KINDS, kind) ? OTHER_KINDS[kind] : '';
}

export function closeSuggestions() {
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
  session.searchCache = null;
  var current = session.current;
  var text = String(s.text || '');
  var id = s.id != null ? String(s.id) : '';
  if (s.kind === 'title' && id) {
    el.q.value = current.q;
    navigate(withState(current, { doc: id, similar: null }));
  } else if (FACETS.indexOf(s.kind) >= 0 && id) {
    var f = withState(current, {}).f;
    if (f[s.kind].indexOf(id) < 0) f[s.kind].push(id);
    rememberLabel(s.kind, id, text);
    el.q.value = '';
    navigate(withState(current, { q: '', f: f, page: 1, doc: null, similar: null }));
  } else {
    el.q.value = text;
    navigate(withState(current, { q: text, page: 1, doc: null, similar: null }));
  }
}
