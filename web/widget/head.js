/*
 * Passerelle — widget de recherche intégrable : <script src="https://HOTE/widget.js" defer>, puis
 * <kb-search endpoint="https://HOTE" country="SN" lang="fr" facets="true" size="5">. Un seul
 * fichier servi, sans dépendance. Attributs, thème (--kb-*) et sécurité : web/README.md.
 * Sources : web/widget/*.js, joints dans une seule fonction par le serveur, dans l'ordre de
 * search-server/transport/static_files.cpp ; ce fichier l'ouvre, results.js la ferme.
 */
(function () {
  'use strict';
  if (typeof window === 'undefined' || !window.customElements || !window.HTMLElement) return;
  if (window.customElements.get('kb-search')) return;

  /* Origine du script : sert d'adresse du serveur si l'attribut endpoint est absent. */
  var SCRIPT_ORIGIN = (function () {
    try {
      var s = document.currentScript;
      if (s && s.src) return new URL(s.src, location.href).origin;
    } catch (e) { /* ignore */ }
    return location.origin;
  })();

  /* Attributs de filtre : liste fixe, observedAttributes est lu à la définition de l'élément. */
  var FACETS = ['theme', 'actor', 'country', 'region', 'type'];
  /* L'ordre des panneaux du widget (plus compact que celui de la page). */
  var PANELS = ['theme', 'country', 'type', 'actor'];
  var PANEL_MAX = 6;

  /* Les textes de l'interface, [français, anglais] ; %1 et %2 sont remplacés. */
  var STRINGS = {
    label: ['Rechercher dans la base documentaire', 'Search the document base'],
    placeholder: ['Rechercher…', 'Search…'],
    submit: ['Rechercher', 'Search'], searching: ['Recherche en cours…', 'Searching…'],
    none: ['Aucun résultat', 'No results'], about: ['environ ', 'about '],
    one: ['1 résultat', '1 result'], many: ['%1 résultats', '%1 results'],
    prev: ['Précédent', 'Previous'], next: ['Suivant', 'Next'],
    page: ['Page %1 sur %2', 'Page %1 of %2'], pager: ['Pagination des résultats', 'Results pages'],
    fixed: ['Filtres imposés', 'Fixed filters'], fixedHint: [' (filtre fixe)', ' (fixed filter)'],
    results: ['Résultats', 'Results'], untitled: ['(Sans titre)', '(Untitled)'],
    unreachable: ['Impossible de contacter le serveur de recherche.', 'Cannot reach the search server.'],
    error: ['Erreur du serveur (%1).', 'Server error (%1).'],
    newTab: [' (s’ouvre dans un nouvel onglet)', ' (opens in a new tab)'],
    numLocale: ['fr-FR', 'en-GB'], open: ['Rechercher', 'Search'], close: ['Fermer', 'Close'],
    suggestions: ['Suggestions', 'Suggestions'], term: ['mot', 'word'], title: ['document', 'document']
  };
  var TYPING_MS = 350, SUGGEST_MS = 150;   // pauses de saisie avant recherche et suggestions
  var FRENCH = 0, ENGLISH = 1;   // colonnes de STRINGS
  /* Les intitulés anglais des facettes ; les français viennent du serveur (GET /facets). */
  var ENGLISH_FACETS = { theme: 'Theme', actor: 'Actor', country: 'Country', region: 'Region',
    type: 'Type' };
