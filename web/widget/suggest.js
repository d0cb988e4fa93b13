  /* L'autocomplétion de l'élément. */
  Object.assign(KbSearch.prototype, {
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
    },

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
    },

    _closeSuggestions() {
      var e = this._el;
      clearTimeout(this._sugg.timer);
      this._sugg.seq++;
      this._sugg.active = -1;
      e.suggest.hidden = true;
      e.input.setAttribute('aria-expanded', 'false');
      e.input.removeAttribute('aria-activedescendant');
    },

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
    },

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
  });
