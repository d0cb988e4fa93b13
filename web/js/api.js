/* Le client de l'API : une requête en cours à la fois, les réponses périmées sont ignorées. */

import { frenchError } from './errors.js';

var controller = null;     // AbortController de la requête en cours
var seq = 0;               // numéro de la requête la plus récente

/*
 * Une base dont la lecture demande une clé (api.read_requires_key) : la clé saisie dans la
 * page est gardée pour la session de l'onglet (sessionStorage) et envoyée à chaque requête.
 */
var KEY_ITEM = 'passerelle-api-key';

export function apiKey() {
  try { return sessionStorage.getItem(KEY_ITEM) || ''; } catch (e) { return ''; }
}

export function setApiKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch (e) { /* stockage refusé : la clé vaut pour cette page seulement */ }
}

export function requestHeaders() {
  var h = { 'Accept': 'application/json' };
  var key = apiKey();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

/* Annule la requête en cours ; rend le numéro de la suivante. */
export function abortPending() {
  seq++;
  if (controller) { try { controller.abort(); } catch (e) { /* ignore */ } }
  controller = (typeof AbortController !== 'undefined') ? new AbortController() : null;
  return seq;
}

/* Le numéro de la requête la plus récente : une requête d'appoint (l'explication d'un
 * résultat) le prend pour être ignorée si une nouvelle recherche part entre-temps. */
export function currentSeq() { return seq; }

/* Erreur qui ne s'affiche pas : requête annulée ou remplacée par une plus récente. */
export function isAbort(e) {
  return !!e && e.name === 'AbortError';
}

export function fetchJson(url, mySeq) {
  var init = { headers: requestHeaders() };
  if (controller) init.signal = controller.signal;
  return fetch(url, init).then(function (res) {
    return res.text().then(function (body) {
      var data = null;
      try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
      if (!res.ok) {
        // Le message anglais de l'API n'est jamais affiché : errors.js le dit en français.
        var err = new Error(frenchError(res.status, data));
        err.status = res.status;
        err.code = data && data.error ? data.error.code : undefined;
        throw err;
      }
      if (data === null || typeof data !== 'object') {
        throw new Error('Réponse du serveur illisible.');
      }
      return data;
    });
  }, function (e) {
    if (isAbort(e)) throw e;
    throw new Error('Impossible de contacter le serveur. Vérifiez votre connexion puis réessayez.');
  }).then(function (data) {
    if (mySeq !== seq) { var stale = new Error('stale'); stale.name = 'AbortError'; throw stale; }
    return data;
  });
}

/* GET /facets : la table des facettes et leurs valeurs connues (null si le serveur refuse). */
export function fetchFacetCatalog() {
  return fetch('/facets', { headers: requestHeaders() })
    .then(function (r) { return r.ok ? r.json() : null; });
}

/* GET /suggest, annulable par `signal` ; une liste vide si le serveur refuse. */
export function fetchSuggestions(v, signal, filters) {
  var url = '/suggest?q=' + encodeURIComponent(v) + (filters ? '&' + filters : '');
  return fetch(url, { headers: requestHeaders(), signal: signal })
    .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; });
}
