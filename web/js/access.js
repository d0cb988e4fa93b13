/*
 * Une base privée (api.read_requires_key) : après un refus (401), la page demande la clé
 * d'accès, la garde pour la session de l'onglet (api.js) et recharge la recherche. Les liens de
 * téléchargement (citations) ne peuvent pas porter d'en-tête : avec une clé, ils passent par
 * fetch puis un fichier local.
 */

import { apiKey, requestHeaders, setApiKey } from './api.js';
import { el } from './dom.js';

/* Sous le message d'erreur : « Clé d'accès [•••••] [Valider] ». */
export function askForKey() {
  if (el.error.querySelector('form')) return;
  var form = document.createElement('form');
  form.className = 'key-form';
  var label = document.createElement('label');
  label.htmlFor = 'api-key';
  label.textContent = 'Clé d’accès';
  var input = document.createElement('input');
  input.type = 'password';
  input.id = 'api-key';
  input.autocomplete = 'off';
  input.required = true;
  var ok = document.createElement('button');
  ok.type = 'submit';
  ok.textContent = 'Valider';
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(ok);
  if (apiKey()) {
    var forget = document.createElement('button');
    forget.type = 'button';
    forget.className = 'secondary';
    forget.textContent = 'Oublier la clé';
    forget.addEventListener('click', function () { setApiKey(''); location.reload(); });
    form.appendChild(forget);
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    setApiKey(input.value.trim());
    location.reload();
  });
  el.error.appendChild(form);
  input.focus();
}

/* Un lien download="…" de la page, téléchargé avec la clé quand il y en a une. */
export function initKeyedDownloads() {
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest ? ev.target.closest('a[download]') : null;
    if (!a || !apiKey() || a.origin !== location.origin) return;
    ev.preventDefault();
    fetch(a.href, { headers: requestHeaders() }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.blob();
    }).then(function (blob) {
      var local = document.createElement('a');
      local.href = URL.createObjectURL(blob);
      local.download = a.getAttribute('download');
      document.body.appendChild(local);
      local.click();
      setTimeout(function () { URL.revokeObjectURL(local.href); local.remove(); }, 1000);
    }).catch(function () {
      el.error.textContent = 'Le téléchargement a échoué : la clé d’accès ne le permet pas.';
      el.error.hidden = false;
    });
  });
}
