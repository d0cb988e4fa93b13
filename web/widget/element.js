  /* L'élément <kb-search> : attributs, construction et textes de l'interface. */

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
  }
