// An ordinary InstantSearch.js page: the only Passerelle-specific things are the host URL and
// the key given to instantMeiliSearch (?api=http://host:port&key=…, a tenant token here), and
// the attribute names of the index (place.lvl0/lvl1 for region > country, year).
import { instantMeiliSearch } from '/vendor/@meilisearch/instant-meilisearch/dist/index.js';

const params = new URL(window.location.href).searchParams;
const api = params.get('api') || 'http://localhost:8080';
const key = params.get('key') || 'public-search-key';
const { searchClient } = instantMeiliSearch(api, key, {
  finitePagination: true,
  primaryKey: 'id',
});

const {
  searchBox, hits, refinementList, hierarchicalMenu, rangeSlider, pagination, stats, sortBy,
  currentRefinements, configure,
} = instantsearch.widgets;

const LABELS = { theme: 'Thème', type: 'Type', country: 'Pays', 'place.lvl0': 'Lieu', year: 'Année' };
const number = (n) => n.toLocaleString('fr-FR');

const search = instantsearch({ indexName: 'documents', searchClient });
search.addWidgets([
  configure({ hitsPerPage: 5 }),
  searchBox({ container: '#searchbox', placeholder: 'Chercher…' }),
  sortBy({
    container: '#sort',
    items: [
      { value: 'documents', label: 'Pertinence' },
      { value: 'documents:date:desc', label: 'Plus récents' },
      { value: 'documents:date:asc', label: 'Plus anciens' },
    ],
  }),
  currentRefinements({
    container: '#current',
    transformItems: (items) => items.map((item) => ({ ...item, label: LABELS[item.attribute] || item.label })),
  }),
  hierarchicalMenu({ container: '#place', attributes: ['place.lvl0', 'place.lvl1'] }),
  refinementList({
    container: '#country', attribute: 'country', searchable: true,
    searchablePlaceholder: 'Chercher un pays…',
    templates: { searchableNoResults: () => 'Aucun pays' },
  }),
  refinementList({ container: '#theme', attribute: 'theme', limit: 8 }),
  refinementList({ container: '#type', attribute: 'type' }),
  rangeSlider({ container: '#year', attribute: 'year', pips: false }),
  stats({
    container: '#stats',
    templates: {
      text: ({ nbHits }, { html }) => html`${nbHits === 0 ? 'Aucun résultat'
        : `${number(nbHits)} résultat${nbHits > 1 ? 's' : ''}`}`,
    },
  }),
  hits({
    container: '#hits',
    templates: {
      empty: () => 'Aucun résultat',
      item: (hit, { html, components }) => html`
        <article data-id="${hit.id}" data-type="${hit.type}" data-year="${hit.year ?? ''}"
          data-date="${hit.date}">
          <h3 class="title">${components.Highlight({ hit, attribute: 'title' })}</h3>
          <p class="meta">${hit.type} · ${hit.publisher} · ${hit.date}</p>
          <p class="snippet">${components.Highlight({ hit, attribute: 'snippet' })}</p>
        </article>`,
    },
  }),
  pagination({ container: '#pagination' }),
]);
search.start();
window.search = search; // for the test: search.status

// InstantSearch.js writes some accessible names, and the results' spoken announcement, in
// English with no option to change them: the page says them in French, as all its own text.
const FRENCH = new Map([
  ['Search', 'Chercher'], ['Search for filters', 'Chercher un pays'],
  ['Submit the search query', 'Lancer la recherche'], ['Clear the search query', 'Effacer la recherche'],
  ['Results are loading', 'Chargement des résultats'], ['Sort results by', 'Trier les résultats par'],
  ['Minimum Filter Handle', 'Année de début'], ['Maximum Filter Handle', 'Année de fin'],
  ['First Page', 'Première page'], ['Previous Page', 'Page précédente'],
  ['Next Page', 'Page suivante'], ['No results', 'Aucun résultat'], ['1 result', '1 résultat'],
]);
function french(text) {
  if (FRENCH.has(text)) return FRENCH.get(text);
  let m = /^Last Page, Page (\d+)$/.exec(text);
  if (m) return `Dernière page, page ${m[1]}`;
  m = /^([\d,]+) results$/.exec(text);
  if (m) return `${number(Number(m[1].replace(/,/g, '')))} résultats`;
  return text;
}
function sayInFrench() {
  for (const el of document.querySelectorAll('[aria-label], [title]')) {
    for (const name of ['aria-label', 'title']) {
      const text = el.getAttribute(name);
      if (text !== null && french(text) !== text) el.setAttribute(name, french(text));
    }
  }
  for (const el of document.querySelectorAll('.ais-Stats-announcement')) {
    if (french(el.textContent) !== el.textContent) el.textContent = french(el.textContent);
  }
}
new MutationObserver(sayInFrench).observe(document.body, {
  subtree: true, childList: true, characterData: true, attributes: true,
  attributeFilter: ['aria-label', 'title'],
});
