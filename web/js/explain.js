/*
 * « Pourquoi ce résultat ? » : sous chaque résultat, un volet replié qui, ouvert, demande la
 * même recherche avec explain=true (une fois par recherche) et dit ce qui a fait remonter le
 * document : son score, les termes trouvés (mot exact, racine, titre, filtre, expansion) et,
 * en mode sémantique ou hybride, son rang dans chaque classement.
 */

import { currentSeq, fetchJson, isAbort } from './api.js';
import { clearChildren } from './dom.js';
import { NBSP, formatInt } from './format.js';
import { apiQuery } from './state.js';

var pending = null; // { key, promise } : la recherche expliquée en cours ou reçue

/* Ce que dit un terme de explain (« racine:cooper ») en français. */
var TERM_KINDS = [
  ['titre-racine:', 'racine dans le titre'],
  ['racine:', 'même racine'],
  ['accent:', 'forme accentuée'],
  ['titre:', 'mot du titre'],
  ['filtre:', 'filtre'],
  ['mot:', 'mot exact']
];

function describeTerm(term) {
  var via = term.indexOf('via:') === 0;
  if (via) term = term.slice(4);
  for (var i = 0; i < TERM_KINDS.length; i++) {
    var prefix = TERM_KINDS[i][0];
    if (term.indexOf(prefix) === 0) {
      return TERM_KINDS[i][1] + ' «' + NBSP + term.slice(prefix.length) + NBSP + '»' +
        (via ? ' (recherche élargie)' : '');
    }
  }
  return term;
}

function formatScore(x) {
  return Number(x).toLocaleString('fr-FR', { maximumFractionDigits: 3 });
}

/* Le volet d'un résultat : replié, il ne coûte rien ; ouvert, il se remplit. */
export function explainToggle(st, id) {
  var details = document.createElement('details');
  details.className = 'why';
  var summary = document.createElement('summary');
  summary.textContent = 'Pourquoi ce résultat' + NBSP + '?';
  details.appendChild(summary);
  var body = document.createElement('div');
  body.className = 'why-body';
  details.appendChild(body);
  details.addEventListener('toggle', function () {
    if (!details.open || details.getAttribute('data-loaded')) return;
    body.textContent = 'Chargement de l’explication…';
    explained(st).then(function (data) {
      var hits = Array.isArray(data.hits) ? data.hits : [];
      var hit = hits.filter(function (h) { return String(h.id) === id; })[0];
      clearChildren(body);
      details.setAttribute('data-loaded', 'true');
      if (!hit) {
        body.textContent = 'Ce résultat n’est plus sur cette page : relancez la recherche.';
        return;
      }
      renderExplanation(body, hit);
    }).catch(function (e) {
      if (isAbort(e)) return;
      body.textContent = 'Explication indisponible' + NBSP + ': ' + e.message;
    });
  });
  return details;
}

function explained(st) {
  var key = apiQuery(st) + '&explain=true';
  if (!pending || pending.key !== key) {
    pending = { key: key, promise: fetchJson('/search?' + key, currentSeq()) };
    pending.promise.catch(function () { pending = null; });
  }
  return pending.promise;
}

function renderExplanation(body, hit) {
  var dl = document.createElement('dl');
  dl.className = 'why-list';
  addRow(dl, 'Score', formatScore(hit.score));
  var terms = Array.isArray(hit.matched_terms) ? hit.matched_terms : [];
  if (terms.length) {
    var ul = document.createElement('ul');
    terms.forEach(function (t) {
      var li = document.createElement('li');
      li.textContent = describeTerm(String(t));
      ul.appendChild(li);
    });
    addRow(dl, 'Termes trouvés', ul);
  } else {
    addRow(dl, 'Termes trouvés', 'aucun mot de la recherche (tous les documents, ou un filtre)');
  }
  var r = hit.ranking;
  if (r) {
    addRow(dl, 'Classement par les mots', r.lexical_rank ? 'rang ' + formatInt(r.lexical_rank) : 'absent');
    addRow(dl, 'Classement par le sens', r.vector_rank
      ? 'rang ' + formatInt(r.vector_rank) +
        (r.vector_similarity != null ? ' (similarité ' + formatScore(r.vector_similarity) + ')' : '')
      : 'absent');
    addRow(dl, 'Score combiné', formatScore(r.fused_score));
  }
  body.appendChild(dl);
}

function addRow(dl, label, value) {
  var dt = document.createElement('dt');
  dt.textContent = label;
  var dd = document.createElement('dd');
  if (typeof value === 'string') dd.textContent = value;
  else dd.appendChild(value);
  dl.appendChild(dt);
  dl.appendChild(dd);
}
