/*
 * Passerelle — widget de recherche intégrable : <script src="https://HOTE/widget.js" defer>, puis
 * <kb-search endpoint="https://HOTE" country="SN" lang="fr" facets="true" size="5">. Un seul
 * fichier, sans dépendance. Attributs, thème (--kb-*) et sécurité : web/README.md.
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

  /* `--kb-*` sont les réglages du site hôte ; `--_*` leurs valeurs, avec celles par défaut. */
  var CSS = `
    :host { display: block; --_accent: var(--kb-accent, #0b4f9c);
      --_accent-text: var(--kb-accent-text, #ffffff); --_fg: var(--kb-fg, #1b1b1b);
      --_muted: var(--kb-muted, #505a64); --_bg: var(--kb-bg, #ffffff);
      --_bg-alt: var(--kb-bg-alt, #f3f5f8); --_border: var(--kb-border, #767676);
      --_line: var(--kb-line, #d5d9de); --_mark: var(--kb-mark, #ffe27a);
      --_focus: var(--kb-focus, #c2410c); --_radius: var(--kb-radius, 0.35rem);
      font-family: var(--kb-font, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif);
      font-size: 1rem; line-height: 1.5; color: var(--_fg); background: var(--_bg); }
    :host([hidden]) { display: none; } *, *::before, *::after { box-sizing: border-box; }
    ul, ol { list-style: none; margin: 0; padding: 0; } [hidden] { display: none !important; }
    .vh { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
      overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    :focus-visible { outline: 3px solid var(--_focus); outline-offset: 2px; }
    .kb { padding: 0.75rem; border: 1px solid var(--_line); border-radius: var(--_radius); }
    form { margin: 0; } .row { display: flex; gap: 0.5rem; }
    input[type="search"] { flex: 1 1 auto; min-width: 0; min-height: 2.75rem;
      padding: 0.4rem 0.7rem; font: inherit; color: var(--_fg); background: var(--_bg);
      border: 2px solid var(--_border); border-radius: var(--_radius); }
    button { font: inherit; min-height: 2.75rem; padding: 0.4rem 1rem; font-weight: 600;
      cursor: pointer; color: var(--_accent-text); background: var(--_accent);
      border: 2px solid var(--_accent); border-radius: var(--_radius); }
    button.secondary { color: var(--_accent); background: var(--_bg); }
    button:disabled { cursor: not-allowed; color: #5c5c5c; background: #eeeeee;
      border-color: #b5b5b5; }
    .chips { margin: 0.6rem 0 0; display: flex; flex-wrap: wrap; gap: 0.35rem; }
    .chip { display: inline-flex; align-items: center; gap: 0.35rem; padding: 0.15rem 0.65rem;
      border-radius: 1.2rem; background: var(--_bg-alt); border: 1px solid var(--_border);
      font-size: 0.9rem; font-weight: 600; overflow-wrap: anywhere; }
    .lock { display: inline-block; width: 0.7em; height: 0.55em; margin-top: 0.3em;
      position: relative; border-radius: 0.1em; background: currentColor; }
    .lock::before { content: ""; position: absolute; left: 0.12em; right: 0.12em; bottom: 100%;
      height: 0.35em; border: 0.1em solid currentColor; border-bottom: 0;
      border-radius: 0.3em 0.3em 0 0; }
    .facets { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.6rem; }
    fieldset { flex: 1 1 10rem; min-width: 0; margin: 0; padding: 0.3rem 0.6rem 0.5rem;
      border: 1px solid var(--_line); border-radius: var(--_radius); }
    legend { font-weight: 700; font-size: 0.9rem; padding: 0 0.2rem; }
    fieldset li { display: flex; gap: 0.35rem; align-items: flex-start; font-size: 0.9rem; }
    fieldset input { margin: 0.25rem 0 0; accent-color: var(--_accent); }
    fieldset label { flex: 1 1 auto; min-width: 0; display: flex; justify-content: space-between;
      gap: 0.4rem; cursor: pointer; overflow-wrap: anywhere; }
    .count { flex: 0 0 auto; white-space: nowrap; color: var(--_muted);
      font-variant-numeric: tabular-nums; }
    .status { margin: 0.6rem 0 0.25rem; color: var(--_muted); font-size: 0.9rem;
      min-height: 1.5em; }
    .error { margin: 0.5rem 0; padding: 0.5rem 0.75rem; color: #8a1111; background: #fdecec;
      border: 1px solid #8a1111; border-radius: var(--_radius); }
    .results > li { padding: 0.6rem 0; border-bottom: 1px solid var(--_line); }
    .title { margin: 0 0 0.15rem; font-size: 1.05rem; line-height: 1.35; overflow-wrap: anywhere; }
    a { color: var(--_accent); text-underline-offset: 0.15em; }
    .meta { margin: 0 0 0.2rem; color: var(--_muted); font-size: 0.85rem; overflow-wrap: anywhere; }
    .snippet { margin: 0; font-size: 0.95rem; overflow-wrap: anywhere; }
    mark { background: var(--_mark); color: #000; padding: 0 0.1em; border-radius: 0.15em; }
    mark.via { background: none; color: inherit; padding: 0; border-bottom: 2px dotted currentColor; border-radius: 0; }
    .pager { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem;
      margin-top: 0.75rem; flex-wrap: wrap; }
    .pager span { font-size: 0.9rem; }
    dialog { width: min(48rem, calc(100vw - 1rem)); max-height: 90vh; padding: 0; border: 0;
      border-radius: var(--_radius); color: var(--_fg); background: var(--_bg); }
    dialog::backdrop { background: rgba(0, 0, 0, 0.55); }
    dialog .kb { border: 0; } .close { display: block; margin: 0.5rem 0.5rem 0 auto; }
    .field { position: relative; flex: 1 1 auto; min-width: 0; display: flex; }
    .suggest { position: absolute; z-index: 2; top: 100%; left: 0; right: 0; margin-top: 0.15rem;
      background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
      box-shadow: 0 4px 12px rgba(0, 0, 0, 0.18); max-height: 18rem; overflow-y: auto; }
    .suggest li { padding: 0.4rem 0.7rem; cursor: pointer; overflow-wrap: anywhere; }
    .suggest li.active, .suggest li:hover { background: var(--_bg-alt); }
    .suggest .kind { color: var(--_muted); font-size: 0.85rem; }
    @media (max-width: 30rem) { .row { flex-direction: column; } }
    @media (prefers-color-scheme: dark) {
      :host { --_accent: var(--kb-accent, #8ab4f8); --_accent-text: var(--kb-accent-text, #0b1b33);
        --_fg: var(--kb-fg, #e8eaed); --_muted: var(--kb-muted, #b8bec6);
        --_bg: var(--kb-bg, #1e1f22); --_bg-alt: var(--kb-bg-alt, #2b2d31);
        --_border: var(--kb-border, #9aa0a6); --_line: var(--kb-line, #3c4043);
        --_focus: var(--kb-focus, #fdba74); }
      .error { color: #ffb4ab; background: #410e0b; border-color: #ffb4ab; }
      button:disabled { color: #9aa0a6; background: #2b2d31; border-color: #5f6368; }
    }
    @media (forced-colors: active) { mark { forced-color-adjust: none; background: Mark; color: MarkText; } }
`;

  /* Décode les entités produites par l'échappement HTML du serveur. */
  function decodeEntities(s) {
    return s.replace(/&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos|nbsp);/g,
      function (m, e) {
        if (e.charAt(0) === '#') {
          var n = e.charAt(1) === 'x' || e.charAt(1) === 'X'
            ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
          try { return String.fromCodePoint(n); } catch (err) { return m; }
        }
        return { amp: '&', lt: '<', gt: '>', quot: '"', apos: '\'', nbsp: '\u00a0' }[e];
      });
  }

  /*
   * Découpe un extrait en segments [{ text, mark }] sur les chaînes exactes « <mark> » et
   * « </mark> ». Aucune autre balise n'est reconnue : tout le reste est du texte. La page de
   * recherche s'en sert aussi (KbSearch.parseSnippet) : une seule définition.
   */
  function parseSnippet(snippet) {
    // <mark> entoure un mot tapé, <mark class="via"> un mot d'une expansion (un autre libellé
    // du concept) : le reste est du texte échappé, sans autre balise.
    var out = [], open = null;
    String(snippet == null ? '' : snippet).split(/(<mark>|<mark class="via">|<\/mark>)/)
      .forEach(function (part) {
        if (/^<\/?mark/.test(part)) { open = part === '</mark>' ? null : part; return; }
        var text = decodeEntities(part);
        if (text) out.push({ text: text, mark: !!open, via: open === '<mark class="via">' });
      });
    return out;
  }

  /* Une réponse JSON du serveur, sans cookie, avec la clé du partenaire s'il en a une (clé de
   * recherche ou jeton de locataire) ; l'erreur porte le message à afficher. */
  function getJson(url, signal, fail, unreachable, key) {
    var headers = { 'Accept': 'application/json' };
    if (key) headers.Authorization = 'Bearer ' + key;
    return fetch(url, {
      mode: 'cors', credentials: 'omit', headers: headers, signal: signal
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        if (!res.ok || !data || typeof data !== 'object') {
          throw new Error(data && data.error && data.error.message ? String(data.error.message)
            : fail(res.status));
        }
        return data;
      });
    }, function (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new Error(unreachable);
    });
  }

  /* Intitulés français des facettes, lus une fois par serveur dans GET /facets (« fields »). */
  var headingsByEndpoint = {};

  function loadHeadings(endpoint, key) {
    var slot = endpoint + '\n' + (key || '');
    headingsByEndpoint[slot] = headingsByEndpoint[slot] ||
      getJson(endpoint + '/facets', undefined, String, '', key).then(function (d) {
        var out = {};
        (d.fields || []).forEach(function (f) { if (f && f.name) out[f.name] = String(f.label || f.name); });
        return out;
      }).catch(function () { return {}; });
    return headingsByEndpoint[slot];
  }

  var uid = 0;

  /* Un élément, sa classe, son texte, ses attributs et ses enfants. */
  function h(tag, cls, text, attrs, children) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { n.appendChild(c); });
    return n;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  class KbSearch extends HTMLElement {
    static get observedAttributes() {
      return FACETS.concat(['endpoint', 'placeholder', 'lang', 'facets', 'size', 'heading-level',
        'api-key', 'token']);
    }

    constructor() {
      super();
      this._root = this.attachShadow({ mode: 'open' });
      this._id = 'kb' + (++uid);
      this._q = '';
      this._page = 1;
      this._chosen = {};          // filtres cochés par le visiteur (facettes non imposées)
      this._labels = {};          // « country:FR » → « France »
      this._headings = null;      // intitulés des facettes du serveur (GET /facets)
      this._seq = 0;
      this._ctrl = null;
      this._built = false;
      this._timer = 0;
      this._typing = 0;           // recherche pendant la saisie (pause de TYPING_MS)
      this._sugg = { items: [], active: -1, timer: 0, seq: 0, ctrl: null };
    }

    connectedCallback() { if (!this._built) this._build(); this._search(); }

    disconnectedCallback() { this._abort(); }

    _abort() {
      if (this._ctrl) { try { this._ctrl.abort(); } catch (e) { /* ignore */ } }
    }

    attributeChangedCallback() {
      if (!this._built) return;
      this._applyTexts();
      // Regroupe les changements d'attributs faits d'un coup.
      clearTimeout(this._timer);
      var self = this;
      this._timer = setTimeout(function () { self._page = 1; self._search(); }, 0);
    }

    get _lang() {
      return (this.getAttribute('lang') || '').toLowerCase().indexOf('en') === 0 ? ENGLISH : FRENCH;
    }

    /* Un texte de l'interface dans la langue de l'élément. */
    _s(key, a, b) {
      return STRINGS[key][this._lang].split('%1').join(a).split('%2').join(b);
    }

    /* L'intitulé d'une facette : du serveur en français, du widget en anglais. */
    _heading(f) {
      return this._lang === ENGLISH ? ENGLISH_FACETS[f] : (this._headings && this._headings[f]) || f;
    }

    get _endpoint() {
      return ((this.getAttribute('endpoint') || '').trim() || SCRIPT_ORIGIN).replace(/\/+$/, '');
    }

    get _size() {
      var n = parseInt(this.getAttribute('size') || '5', 10);
      return isFinite(n) && n >= 1 && n <= 20 ? n : 5;
    }

    /* La clé envoyée au serveur : api-key (une clé de recherche) ou token (un jeton de
     * locataire, dont le serveur impose les filtres à chaque recherche). */
    get _key() {
      return (this.getAttribute('token') || this.getAttribute('api-key') || '').trim();
    }

    get _showFacets() {
      return (this.getAttribute('facets') || 'true').toLowerCase() !== 'false';
    }

    /*
     * Le niveau des titres des résultats : l'attribut heading-level (2 à 6), sinon un de plus
     * que le dernier titre de la page hôte avant le widget (h1 → h2), pour que la page garde
     * une hiérarchie de titres sans saut.
     */
    get _headingLevel() {
      var n = parseInt(this.getAttribute('heading-level') || '', 10);
      if (n >= 2 && n <= 6) return n;
      var level = 1, self = this;
      Array.prototype.forEach.call(document.querySelectorAll('h1, h2, h3, h4, h5, h6'), function (t) {
        if (t.compareDocumentPosition(self) & Node.DOCUMENT_POSITION_FOLLOWING) level = Number(t.tagName.charAt(1));
      });
      return Math.min(6, level + 1);
    }

    /* Filtres imposés par les attributs : { country: ['SN'], … }. */
    get _locked() {
      var out = {};
      for (var i = 0; i < FACETS.length; i++) {
        var v = String(this.getAttribute(FACETS[i]) || '').split(',')
          .map(function (x) { return x.trim(); }).filter(function (x) { return x !== ''; });
        if (v.length) out[FACETS[i]] = v;
      }
      return out;
    }

    _build() {
      var self = this;
      // Constructable style sheet when available (unaffected by a host page's CSP style-src);
      // otherwise a <style> element inside the shadow root.
      var sheet = null;
      try {
        if (this._root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function') {
          sheet = new CSSStyleSheet();
          sheet.replaceSync(CSS);
          this._root.adoptedStyleSheets = [sheet];
        }
      } catch (e) { sheet = null; }

      var label = h('label', 'vh', null, { for: this._id + '-q' });
      var input = h('input', null, null,
        { type: 'search', id: this._id + '-q', maxlength: '1000', autocomplete: 'off', part: 'input',
          role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
          'aria-controls': this._id + '-s' });
      var suggest = h('ul', 'suggest', null, { id: this._id + '-s', role: 'listbox', hidden: '',
        part: 'suggestions' });
      var button = h('button', null, null, { type: 'submit', part: 'button' });
      var form = h('form', null, null, { role: 'search', part: 'form' },
        [label, h('div', 'row', null, null, [h('div', 'field', null, null, [input, suggest]), button])]);
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        clearTimeout(self._typing);
        self._closeSuggestions();
        self._q = input.value.trim();
        self._page = 1;
        self._search();
      });
      // Résultats pendant la saisie (après une pause), suggestions plus tôt ; Entrée valide.
      input.addEventListener('input', function () {
        var v = input.value.trim();
        clearTimeout(self._typing);
        clearTimeout(self._sugg.timer);
        self._typing = setTimeout(function () {
          if (v === self._q || (v.length > 0 && v.length < 2)) return;
          self._q = v;
          self._page = 1;
          self._search();
        }, TYPING_MS);
        if (v.length < 2) { self._closeSuggestions(); return; }
        self._sugg.timer = setTimeout(function () { self._loadSuggestions(v); }, SUGGEST_MS);
      });
      input.addEventListener('keydown', function (ev) { self._onSuggestKey(ev); });
      input.addEventListener('blur', function () { setTimeout(function () { self._closeSuggestions(); }, 150); });
      suggest.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
      suggest.addEventListener('click', function (ev) {
        var li = ev.target.closest ? ev.target.closest('[role="option"]') : null;
        if (li) self._pick(Number(li.getAttribute('data-index')));
      });

      var chips = h('ul', 'chips', null, { part: 'chips' });
      var facets = h('div', 'facets', null, { part: 'facets' });
      facets.addEventListener('change', function (ev) {
        var box = ev.target;
        if (!box || box.type !== 'checkbox') return;
        var f = box.getAttribute('data-facet');
        var list = (self._chosen[f] || []).filter(function (v) { return v !== box.value; });
        if (box.checked) list.push(box.value);
        self._chosen[f] = list;
        self._page = 1;
        self._search();
      });

      var status = h('p', 'status', null,
        { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', part: 'status' });
      var error = h('p', 'error', null, { role: 'alert', hidden: '', part: 'error' });
      var results = h('ol', 'results', null, { part: 'results' });
      var prev = h('button', 'secondary', null, { type: 'button' });
      var info = h('span');
      var next = h('button', 'secondary', null, { type: 'button' });
      var pager = h('nav', 'pager', null, { hidden: '', part: 'pager' }, [prev, info, next]);
      prev.addEventListener('click', function () { self._page--; self._search(true); });
      next.addEventListener('click', function () { self._page++; self._search(true); });

      if (!sheet) this._root.appendChild(h('style', null, CSS));
      var box = h('div', 'kb', null, { part: 'root' },
        [form, chips, facets, status, error, results, pager]);
      var open = null, close = null;
      if (this.hasAttribute('modal') && typeof HTMLDialogElement !== 'undefined') {
        // Un bouton « Rechercher » ouvre la recherche dans une boîte de dialogue modale (Échap
        // la ferme, le focus revient au bouton), comme les barres de recherche des sites.
        open = h('button', 'open', null, { type: 'button', part: 'open', 'aria-haspopup': 'dialog' });
        close = h('button', 'secondary close', null, { type: 'button', part: 'close' });
        var dialog = h('dialog', null, null, { part: 'dialog' }, [close, box]);
        open.addEventListener('click', function () { dialog.showModal(); input.focus(); });
        close.addEventListener('click', function () { dialog.close(); });
        dialog.addEventListener('close', function () { open.focus(); });
        // Échap ferme du premier coup, même depuis la zone de recherche (qui s'effacerait).
        dialog.addEventListener('keydown', function (ev) {
          if (ev.key === 'Escape') { ev.preventDefault(); dialog.close(); }
        });
        this._root.appendChild(open);
        this._root.appendChild(dialog);
      } else {
        this._root.appendChild(box);
      }
      this._el = { label: label, input: input, suggest: suggest, button: button, chips: chips, facets: facets,
        status: status, error: error, results: results, pager: pager, prev: prev, info: info,
        next: next, open: open, close: close };
      this._built = true;
      this._applyTexts();
    }

    _applyTexts() {
      var e = this._el;
      e.label.textContent = this._s('label');
      e.input.placeholder = this.getAttribute('placeholder') || this._s('placeholder');
      e.button.textContent = this._s('submit');
      e.prev.textContent = this._s('prev');
      e.next.textContent = this._s('next');
      e.pager.setAttribute('aria-label', this._s('pager'));
      e.chips.setAttribute('aria-label', this._s('fixed'));
      e.results.setAttribute('aria-label', this._s('results'));
      e.suggest.setAttribute('aria-label', this._s('suggestions'));
      if (e.open) {
        e.open.textContent = this._s('open');
        e.close.textContent = this._s('close');
        e.open.parentNode.querySelector('dialog').setAttribute('aria-label', this._s('label'));
      }
      this._renderChips();
    }

    /* L'autocomplétion (motif ARIA « combobox ») : GET /suggest dans les filtres imposés. */
    _loadSuggestions(v) {
      var self = this, sg = this._sugg, my = ++sg.seq;
      if (sg.ctrl) { try { sg.ctrl.abort(); } catch (e) { /* ignore */ } }
      sg.ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
      var p = this._params();
      ['q', 'page', 'size'].forEach(function (k) { p.delete(k); });
      p.set('q', v);
      getJson(this._endpoint + '/suggest?' + p.toString(), sg.ctrl ? sg.ctrl.signal : undefined,
        String, '', this._key)
        .then(function (d) {
          if (my !== sg.seq || self._el.input.value.trim() !== v) return;
          self._showSuggestions(Array.isArray(d.suggestions) ? d.suggestions.slice(0, 8) : []);
        }).catch(function () { /* sans suggestions, la recherche reste possible */ });
    }

    _showSuggestions(items) {
      var e = this._el, self = this;
      this._sugg.items = items;
      this._sugg.active = -1;
      clear(e.suggest);
      e.input.removeAttribute('aria-activedescendant');
      if (!items.length) { this._closeSuggestions(); return; }
      items.forEach(function (s, i) {
        var kind = FACETS.indexOf(s.kind) >= 0 ? self._heading(s.kind).toLowerCase()
          : STRINGS[s.kind] ? self._s(s.kind) : '';
        e.suggest.appendChild(h('li', null, null, { id: self._id + '-o' + i, role: 'option',
          'aria-selected': 'false', 'data-index': String(i), part: 'suggestion' },
        [document.createTextNode(String(s.text || '')), h('span', 'kind', kind ? ' · ' + kind : '')]));
      });
      e.suggest.hidden = false;
      e.input.setAttribute('aria-expanded', 'true');
    }

    _closeSuggestions() {
      var e = this._el;
      clearTimeout(this._sugg.timer);
      this._sugg.seq++;
      this._sugg.active = -1;
      e.suggest.hidden = true;
      e.input.setAttribute('aria-expanded', 'false');
      e.input.removeAttribute('aria-activedescendant');
    }

    _onSuggestKey(ev) {
      var e = this._el, sg = this._sugg, open = !e.suggest.hidden;
      var opts = e.suggest.querySelectorAll('[role="option"]');
      if ((ev.key === 'ArrowDown' || ev.key === 'ArrowUp') && open && opts.length) {
        ev.preventDefault();
        var i = sg.active + (ev.key === 'ArrowDown' ? 1 : -1);
        sg.active = i < 0 ? opts.length - 1 : i >= opts.length ? 0 : i;
        for (var j = 0; j < opts.length; j++) {
          opts[j].setAttribute('aria-selected', j === sg.active ? 'true' : 'false');
          opts[j].classList.toggle('active', j === sg.active);
        }
        e.input.setAttribute('aria-activedescendant', opts[sg.active].id);
      } else if (ev.key === 'Enter' && open && sg.active >= 0) {
        ev.preventDefault();
        this._pick(sg.active);
      } else if (ev.key === 'Escape' && open) {
        ev.preventDefault();
        ev.stopPropagation(); // la liste se ferme, pas la boîte de dialogue
        this._closeSuggestions();
      }
    }

    /* Un thème, un pays… non imposé devient un filtre coché ; le reste, la requête. */
    _pick(i) {
      var s = this._sugg.items[i];
      if (!s) return;
      this._closeSuggestions();
      clearTimeout(this._typing);
      var id = s.id != null ? String(s.id) : '';
      if (FACETS.indexOf(s.kind) >= 0 && id && !this._locked[s.kind]) {
        var list = (this._chosen[s.kind] || []).filter(function (v) { return v !== id; });
        list.push(id);
        this._chosen[s.kind] = list;
        this._labels[s.kind + ':' + id] = String(s.text || id);
        this._q = '';
      } else {
        this._q = String(s.text || '');
      }
      this._el.input.value = this._q;
      this._page = 1;
      this._search();
    }

    _renderChips() {
      var locked = this._locked;
      var chips = this._el.chips;
      clear(chips);
      // Les pastilles attendent les intitulés du serveur, pour ne jamais changer de libellé.
      if (this._lang === FRENCH && !this._headings) { chips.hidden = true; return; }
      var self = this;
      Object.keys(locked).forEach(function (f) {
        locked[f].forEach(function (v) {
          chips.appendChild(h('li', 'chip', null, { 'data-facet': f, 'data-value': v, part: 'chip' }, [
            h('span', 'lock', null, { 'aria-hidden': 'true' }),
            document.createTextNode(self._heading(f) + '\u00a0: ' + (self._labels[f + ':' + v] || v)),
            h('span', 'vh', self._s('fixedHint'))
          ]));
        });
      });
      chips.hidden = !chips.firstChild;
    }

    _params() {
      var p = new URLSearchParams();
      p.set('q', this._q);
      p.set('page', String(this._page));
      p.set('size', String(this._size));
      var locked = this._locked;
      var chosen = this._chosen;
      // Une facette imposée ne peut pas être élargie par le visiteur.
      FACETS.forEach(function (f) {
        (locked[f] || chosen[f] || []).forEach(function (v) { p.append(f, v); });
      });
      return p;
    }

    _search(focusResults) {
      if (!this._built) return;
      var self = this;
      var e = this._el;
      if (this._page < 1) this._page = 1;
      var my = ++this._seq;
      this._abort();
      this._ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
      e.status.textContent = this._s('searching');
      e.error.hidden = true;
      e.results.setAttribute('aria-busy', 'true');
      var headings = loadHeadings(this._endpoint, this._key).then(function (hs) {
        if (my === self._seq) { self._headings = hs; self._renderChips(); }
      });
      var url = this._endpoint + '/search?' + this._params().toString();
      getJson(url, this._ctrl ? this._ctrl.signal : undefined,
        function (status) { return self._s('error', status); }, this._s('unreachable'), this._key
      ).then(function (data) {
        return headings.then(function () { return data; });
      }).then(function (data) {
        if (my !== self._seq) return;
        self._render(data, focusResults);
      }).catch(function (err) {
        if (my !== self._seq || (err && err.name === 'AbortError')) return;
        e.results.removeAttribute('aria-busy');
        clear(e.results);
        e.pager.hidden = true;
        e.status.textContent = '';
        e.error.textContent = err.message;
        e.error.hidden = false;
      });
    }

    _num(n) {
      try { return Number(n).toLocaleString(this._s('numLocale')); } catch (e) { return String(n); }
    }

    _render(data, focusResults) {
      var e = this._el;
      var self = this;
      var facets = data.facets || {};
      Object.keys(facets).forEach(function (f) {
        (facets[f] || []).forEach(function (v) {
          if (v && v.id != null) self._labels[f + ':' + v.id] = String(v.label || v.id);
        });
      });
      // Les filtres appliqués portent leur libellé, même sans aucun résultat.
      (data.filters || []).forEach(function (f) {
        if (f && f.field && f.id != null) self._labels[f.field + ':' + f.id] = String(f.label || f.id);
      });
      this._renderChips();
      this._renderFacets(facets);

      var total = Number(data.total) || 0;
      var hits = Array.isArray(data.hits) ? data.hits : [];
      e.results.removeAttribute('aria-busy');
      clear(e.results);
      e.status.textContent = total === 0 ? this._s('none')
        : (data.total_exact === false ? this._s('about') : '') +
          (total === 1 ? this._s('one') : this._s('many', this._num(total)));
      hits.forEach(function (hit) { e.results.appendChild(self._hit(hit)); });

      var size = Number(data.size) || this._size;
      var pages = Math.max(1, Math.ceil(Math.min(total, 10000) / size));
      e.pager.hidden = total === 0 || pages <= 1;
      e.prev.disabled = this._page <= 1;
      e.next.disabled = this._page >= pages;
      e.info.textContent = this._s('page', this._num(this._page), this._num(pages));
      var first = focusResults && e.results.querySelector('a');
      if (first) first.focus();
      // « kb-search » : chaque réponse affichée, pour la page hôte (compteur, analytique…).
      var filters = {};
      [this._locked, this._chosen].forEach(function (set) {
        Object.keys(set || {}).forEach(function (f) {
          if ((set[f] || []).length) filters[f] = (filters[f] || []).concat(set[f]);
        });
      });
      this.dispatchEvent(new CustomEvent('kb-search', { bubbles: true, composed: true, detail: {
        q: this._q || '', page: this._page, total: total, filters: filters,
        ids: hits.map(function (x) { return x.id; }) } }));
    }

    /* « 3 octobre 2017 », « octobre 2017 », « 2017 » (en anglais : « 3 October 2017 »). */
    _date(iso) {
      var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(iso || ''));
      if (!m) return iso;
      if (!m[2]) return m[1];
      var opts = { year: 'numeric', month: 'long', timeZone: 'UTC' };
      if (m[3]) opts.day = 'numeric';
      try {
        return new Intl.DateTimeFormat(this._s('numLocale'), opts)
          .format(new Date(Date.UTC(+m[1], +m[2] - 1, +(m[3] || 1))));
      } catch (e) { return iso; }
    }

    _hit(hit) {
      var a = h('a', null, hit.title ? String(hit.title) : this._s('untitled'), {
        href: this._endpoint + '/?doc=' + encodeURIComponent(String(hit.id == null ? '' : hit.id)),
        target: '_blank', rel: 'noopener noreferrer'
      }, [h('span', 'vh', this._s('newTab'))]);
      var self = this;
      // « kb-select » : la page hôte peut réagir au choix, ou le prendre à sa charge
      // (preventDefault() : le lien ne s'ouvre pas).
      a.addEventListener('click', function (ev) {
        var detail = { hit: {} };
        ['id', 'title', 'date', 'type', 'publisher', 'url', 'page', 'passage', 'heading', 'score']
          .forEach(function (k) { if (hit[k] != null) detail.hit[k] = hit[k]; });
        detail.href = a.href;
        var go = self.dispatchEvent(new CustomEvent('kb-select',
          { detail: detail, bubbles: true, composed: true, cancelable: true }));
        if (!go) ev.preventDefault();
      });
      var li = h('li', null, null, { part: 'hit' },
        [h('h' + this._headingLevel, 'title', null, { part: 'title' }, [a])]);

      var meta = [hit.type, this._date(hit.date), hit.publisher]
        .filter(function (x) { return x; }).map(String);
      if (meta.length) li.appendChild(h('p', 'meta', meta.join(' · '), { part: 'meta' }));

      if (hit.snippet) {
        var p = h('p', 'snippet', null, { part: 'snippet' });
        parseSnippet(hit.snippet).forEach(function (seg) {
          p.appendChild(seg.mark ? h('mark', seg.via ? 'via' : null, seg.text)
            : document.createTextNode(seg.text));
        });
        li.appendChild(p);
      }
      return li;
    }

    _renderFacets(facets) {
      var e = this._el;
      var self = this;
      var active = this._root.activeElement;
      var focusKey = active && active.getAttribute && active.getAttribute('data-key');
      clear(e.facets);
      e.facets.hidden = !this._showFacets;
      if (!this._showFacets) return;
      var locked = this._locked;
      PANELS.forEach(function (f) {
        if (locked[f]) return;
        var chosen = self._chosen[f] || [];
        var values = (facets[f] || []).slice(0, PANEL_MAX);
        chosen.forEach(function (v) {
          if (!values.some(function (x) { return String(x.id) === v; })) {
            values.push({ id: v, label: self._labels[f + ':' + v] || v, count: 0 });
          }
        });
        if (!values.length) return;
        var ul = h('ul');
        values.forEach(function (v, i) {
          var id = self._id + '-' + f + '-' + i;
          var box = h('input', null, null,
            { type: 'checkbox', id: id, 'data-facet': f, 'data-key': f + ':' + v.id });
          box.value = String(v.id);
          box.checked = chosen.indexOf(String(v.id)) >= 0;
          ul.appendChild(h('li', null, null, null, [box, h('label', null, null, { for: id }, [
            h('span', null, String(v.label || v.id)),
            h('span', 'count', self._num(Number(v.count) || 0))
          ])]));
        });
        e.facets.appendChild(h('fieldset', null, null, null, [h('legend', null, self._heading(f)), ul]));
      });
      if (focusKey) {
        Array.prototype.some.call(e.facets.querySelectorAll('input[data-key]'), function (box) {
          return box.getAttribute('data-key') === focusKey && (box.focus(), true);
        });
      }
    }
  }

  KbSearch.parseSnippet = parseSnippet;
  window.customElements.define('kb-search', KbSearch);
})();
