  /* La feuille de style de l'ombre du widget (web/widget/, joint en /widget.js par le serveur). */

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
