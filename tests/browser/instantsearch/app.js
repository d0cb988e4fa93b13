// An ordinary InstantSearch.js page: the only Passerelle-specific thing is the host URL given
// to instantMeiliSearch (?api=http://host:port).
import { instantMeiliSearch } from '/vendor/@meilisearch/instant-meilisearch/dist/index.js';

const api = new URL(window.location.href).searchParams.get('api') || 'http://localhost:8080';
const { searchClient } = instantMeiliSearch(api, 'public-search-key', {
  finitePagination: true,
  primaryKey: 'id',
});

const { searchBox, hits, refinementList, pagination, stats, configure } = instantsearch.widgets;
const search = instantsearch({ indexName: 'documents', searchClient });
search.addWidgets([
  configure({ hitsPerPage: 5 }),
  searchBox({ container: '#searchbox', placeholder: 'Chercher…' }),
  refinementList({ container: '#theme', attribute: 'theme', limit: 8 }),
  refinementList({ container: '#type', attribute: 'type' }),
  stats({ container: '#stats' }),
  hits({
    container: '#hits',
    templates: {
      item: (hit, { html, components }) => html`
        <article data-id="${hit.id}">
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
