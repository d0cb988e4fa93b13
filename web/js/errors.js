/*
 * Les erreurs de l'API en français, en un seul endroit. L'API répond en anglais
 * ({"error": {"code", "message"}}) : la page lit le code, le paramètre que le message nomme
 * (« parameter 'page' … ») et les nombres qu'il cite, et n'affiche jamais le texte anglais.
 */

import { NBSP, formatInt } from './format.js';

/* Ce que désigne chaque paramètre de l'adresse, pour une phrase française. */
var PARAMETERS = {
  q: 'la recherche',
  page: 'le numéro de page',
  size: 'le nombre de résultats par page',
  sort: 'le tri',
  year_from: 'l’année de début',
  year_to: 'l’année de fin',
  format: 'le format de citation',
  ids: 'la sélection de documents',
  mode: 'le mode de recherche',
  theme: 'le filtre Thème',
  actor: 'le filtre Acteur',
  country: 'le filtre Pays',
  region: 'le filtre Région',
  type: 'le filtre Type'
};

/* Les erreurs qui ne dépendent que de leur code. */
var BY_CODE = {
  document_not_found: 'Ce document n’existe pas ou a été retiré de l’index.',
  not_found: 'Cette adresse ne correspond à aucune page du service.',
  rate_limited: 'Trop de requêtes en peu de temps : patientez quelques secondes puis réessayez.',
  no_vectors: 'La recherche par le sens n’est pas disponible sur cet index : la recherche par mots reste possible.',
  vectors_stale: 'La recherche par le sens est en cours de mise à jour : réessayez dans un instant.',
  index_unavailable: 'L’index est momentanément indisponible. Réessayez dans un instant.',
  shards_unavailable: 'Une partie de l’index ne répond pas. Réessayez dans un instant.',
  invalid_uri: 'L’adresse de la recherche est mal formée. Relancez la recherche depuis le formulaire.',
  invalid_json: 'La requête envoyée au serveur est mal formée.',
  method_not_allowed: 'Cette opération n’est pas permise sur cette adresse.',
  internal: 'Erreur interne du serveur. Réessayez plus tard ; si elle persiste, signalez-la.',
  unauthorized: 'Cette base documentaire demande une clé d’accès valide.',
  invalid_api_key: 'La clé d’accès n’est pas valide : saisissez-en une autre.',
  api_key_expired: 'La clé d’accès a expiré : saisissez-en une nouvelle.'
};

/* Selon le statut HTTP, quand le code n'est pas connu de la page. */
function byStatus(status) {
  if (status === 401) return BY_CODE.missing_authorization_header;
  if (status === 403) return 'Votre clé d’accès ne permet pas cette opération.';
  if (status === 404) return 'Ressource introuvable.';
  if (status === 429) return BY_CODE.rate_limited;
  if (status === 503) return BY_CODE.index_unavailable;
  if (status >= 500) return BY_CODE.internal;
  return 'La requête n’a pas pu être traitée. Modifiez la recherche ou les filtres puis réessayez.';
}

function quoted(s) { return '«' + NBSP + s + NBSP + '»'; }

function number(s) { return /^\d+$/.test(s) ? formatInt(Number(s)) : quoted(s); }

/* Le paramètre nommé par le message, en français (« le numéro de page »). */
function parameterName(name) {
  return PARAMETERS[name] || 'le paramètre ' + quoted(name);
}

function capitalised(s) { return s.charAt(0).toUpperCase() + s.slice(1); }

/* invalid_parameter : le message anglais dit quel paramètre et pourquoi. */
function invalidParameter(message) {
  var m;
  if ((m = /^parameter 'page' must be between 1 and (\d+), got (\S+)/.exec(message))) {
    return 'La page ' + number(m[2]) + ' n’existe pas : choisissez une page entre 1 et ' +
      formatInt(Number(m[1])) + '.';
  }
  if ((m = /^page (\d+) is beyond the first (\d+) results/.exec(message))) {
    return 'La page ' + number(m[1]) + ' est au-delà des ' + formatInt(Number(m[2])) +
      ' premiers résultats : précisez la recherche ou ajoutez un filtre.';
  }
  if ((m = /^parameter '([^']+)' must be between (\d+) and (\d+), got '?([^']*)'?/.exec(message))) {
    return capitalised(parameterName(m[1])) + ' doit être compris entre ' + formatInt(Number(m[2])) +
      ' et ' + formatInt(Number(m[3])) + ' (valeur reçue' + NBSP + ': ' + number(m[4]) + ').';
  }
  if ((m = /^parameter '([^']+)' must be a whole number, got '([^']*)'/.exec(message))) {
    return capitalised(parameterName(m[1])) + ' doit être un nombre entier (valeur reçue' + NBSP +
      ': ' + quoted(m[2]) + ').';
  }
  if ((m = /^parameter '([^']+)' must be a year \(4 digits\), got '([^']*)'/.exec(message))) {
    return capitalised(parameterName(m[1])) + ' doit être une année à 4 chiffres (valeur reçue' +
      NBSP + ': ' + quoted(m[2]) + ').';
  }
  if ((m = /^year_from \((\d+)\) is after year_to \((\d+)\)/.exec(message))) {
    return 'L’année de début (' + m[1] + ') est postérieure à l’année de fin (' + m[2] + ').';
  }
  if ((m = /^parameter 'q' is longer than (\d+)/.exec(message))) {
    return 'La recherche est trop longue : ' + formatInt(Number(m[1])) + ' caractères au plus.';
  }
  if ((m = /^unknown parameter '([^']*)'/.exec(message))) {
    return 'L’adresse contient un paramètre inconnu (' + quoted(m[1]) +
      ') : relancez la recherche depuis le formulaire.';
  }
  if ((m = /^parameter '([^']+)' is given more than once/.exec(message))) {
    return capitalised(parameterName(m[1])) + ' est donné plusieurs fois dans l’adresse.';
  }
  if (/^the filters name more than/.test(message)) {
    return 'Trop de filtres à la fois : retirez-en quelques-uns.';
  }
  if ((m = /^parameter '([^']+)'/.exec(message))) {
    return capitalised(parameterName(m[1])) + ' n’est pas valide. Modifiez-le puis réessayez.';
  }
  return byStatus(400);
}

/*
 * Le message français d'une réponse en erreur : `status` HTTP et le corps JSON décodé (ou
 * null s'il n'en a pas).
 */
export function frenchError(status, body) {
  var err = body && body.error ? body.error : {};
  var code = typeof err.code === 'string' ? err.code : '';
  var message = typeof err.message === 'string' ? err.message : '';
  if (code === 'invalid_parameter') return invalidParameter(message);
  if (code === 'unknown_facet_value') {
    var m = /^unknown ([a-z]+) '([^']*)'/.exec(message);
    return m
      ? 'Valeur inconnue pour ' + parameterName(m[1]) + NBSP + ': ' + quoted(m[2]) +
        '. Retirez ce filtre.'
      : 'Un filtre de l’adresse n’est pas connu. Retirez-le.';
  }
  return BY_CODE[code] || byStatus(status);
}
