/* Mise en forme française des dates, des nombres et des textes (fonctions pures). */

export var NBSP = '\u00a0';
var MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet',
  'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/* « 2017-10-03 » → « 3 octobre 2017 », « 2017-10 » → « octobre 2017 ». */
export function formatDate(s) {
  if (!s) return '';
  var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(String(s));
  if (!m) return String(s);
  var year = m[1];
  if (!m[2]) return year;
  var month = parseInt(m[2], 10);
  if (month < 1 || month > 12) return String(s);
  if (!m[3]) return MONTHS[month - 1] + ' ' + year;
  var day = parseInt(m[3], 10);
  if (day < 1 || day > 31) return String(s);
  return (day === 1 ? '1er' : String(day)) + ' ' + MONTHS[month - 1] + ' ' + year;
}

export function formatInt(n) {
  try { return Number(n).toLocaleString('fr-FR').replace(/\u202f/g, NBSP); }
  catch (e) { return String(n); }
}

export function formatMs(ms) {
  var n = Number(ms);
  if (!isFinite(n)) return '?';
  try {
    return n.toLocaleString('fr-FR', { maximumFractionDigits: n < 10 ? 1 : 0 });
  } catch (e) { return String(Math.round(n)); }
}

export function splitParagraphs(text) {
  return String(text == null ? '' : text)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map(function (t) { return t.replace(/^\n+|\n+$/g, ''); })
    .filter(function (t) { return t.trim() !== ''; });
}

/* Un nom de fichier sûr pour l'attribut download. */
export function safeFileName(id) {
  return String(id).replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'document';
}

/* « français » pour "fr", « anglais (Royaume-Uni) » pour "en-GB" ; le code tel quel si le
 * navigateur ne le connaît pas. */
export function formatLanguage(code) {
  var tag = String(code || '');
  if (!tag) return '';
  try {
    var name = new Intl.DisplayNames(['fr'], { type: 'language' }).of(tag);
    if (name && name.toLowerCase() !== tag.toLowerCase()) return name;
  } catch (e) { /* une étiquette mal formée : on la montre telle quelle */ }
  return tag;
}
