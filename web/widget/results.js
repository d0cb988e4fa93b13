  /* La recherche, les résultats, la pagination et les facettes de l'élément. */
  Object.assign(KbSearch.prototype, {
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
    },

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
    },

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
    },

    _num(n) {
      try { return Number(n).toLocaleString(this._s('numLocale')); } catch (e) { return String(n); }
    },

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
    },

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
    },

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
    },

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
  });


  KbSearch.parseSnippet = parseSnippet;
  window.customElements.define('kb-search', KbSearch);
})();
