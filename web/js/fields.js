/*
 * Les facettes du serveur (GET /facets, « fields » : nom d'API et intitulé français, dans
 * l'ordre de la page). Aucune autre liste de facettes n'est tenue par la page.
 */

/* L'année se filtre par période (year_from, year_to) et non par cases à cocher. */
export var RANGE_FACET = 'year';

/* Facettes filtrables (paramètres répétables de /search), dans l'ordre du serveur. */
export var FACETS = [];
var labels = {};

/* Retient la table du serveur ; sans réponse, la page n'a aucune facette. */
export function setFields(fields) {
  (Array.isArray(fields) ? fields : []).forEach(function (f) {
    if (!f || !f.name) return;
    var name = String(f.name);
    labels[name] = String(f.label || name);
    if (name !== RANGE_FACET) FACETS.push(name);
  });
}

/* L'intitulé français d'une facette (« country » → « Pays »). */
export function facetLabel(name) {
  return labels[name] || name;
}
