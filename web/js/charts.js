/*
 * La carte des pays et la chronologie des années, dessinées en SVG à partir des comptes de
 * facettes de la réponse (sans bibliothèque ni serveur de tuiles). Un cercle par pays, d'aire
 * proportionnelle à son nombre de documents, une barre par année ; chacun est un bouton
 * (clic, Entrée, Espace) qui ajoute ou retire le filtre, comme les cases du panneau, qui en
 * sont l'équivalent textuel.
 */

import { clearChildren, el } from './dom.js';
import { formatInt } from './format.js';
import { session, withState } from './state.js';

var SVG = 'http://www.w3.org/2000/svg';
var navigate = null;

/*
 * Centres approximatifs des pays (latitude, longitude), écrits à la main au degré près : de
 * quoi placer un cercle, pas une frontière. Un pays absent de la table manque à la carte
 * seulement (il reste dans la liste des filtres).
 */
var CENTRES = {
  FR: [46, 2], DE: [51, 10], BE: [50.5, 4.5], LU: [49.8, 6.1], NL: [52.2, 5.5], CH: [46.8, 8.2],
  IT: [42.8, 12.5], ES: [40.2, -3.7], PT: [39.6, -8], GB: [53, -1.5], IE: [53.2, -8], AT: [47.5, 14.5],
  PL: [52, 19], CZ: [49.8, 15.5], SK: [48.7, 19.5], HU: [47.2, 19.5], RO: [45.9, 25], BG: [42.7, 25.3],
  GR: [39.5, 22], HR: [45.1, 15.5], SI: [46.1, 14.8], RS: [44, 20.8], BA: [44, 17.8], AL: [41.1, 20],
  MK: [41.6, 21.7], ME: [42.7, 19.3], XK: [42.6, 20.9], MD: [47.2, 28.5], UA: [49, 31.5], BY: [53.7, 28],
  LT: [55.3, 24], LV: [56.9, 24.6], EE: [58.7, 25.5], FI: [64, 26], SE: [62, 15], NO: [61.5, 9],
  DK: [56, 10], IS: [65, -18.5], MT: [35.9, 14.4], CY: [35, 33.2], RU: [60, 90], TR: [39, 35],
  GE: [42.2, 43.5], AM: [40.2, 45], AZ: [40.3, 47.7], MA: [31.8, -7], DZ: [28, 2.6], TN: [34, 9.5],
  LY: [27, 17], EG: [26.5, 30], MR: [20.3, -10.3], ML: [17.5, -3.5], SN: [14.4, -14.5],
  GM: [13.4, -15.4], GW: [12, -15], GN: [10.4, -10.9], SL: [8.6, -11.8], LR: [6.4, -9.4],
  CI: [7.6, -5.5], BF: [12.3, -1.6], GH: [7.9, -1.1], TG: [8.6, 1.1], BJ: [9.3, 2.3], NE: [17.4, 9.4],
  NG: [9.1, 8.7], TD: [15.4, 18.7], CM: [5.7, 12.4], CF: [6.6, 20.9], SD: [15.6, 30.2], SS: [7.3, 30.3],
  ER: [15.2, 39.2], ET: [8.6, 39.6], DJ: [11.8, 42.6], SO: [6, 46], KE: [0.2, 37.9], UG: [1.3, 32.4],
  RW: [-2, 29.9], BI: [-3.4, 29.9], TZ: [-6.3, 34.8], CD: [-2.9, 23.6], CG: [-0.7, 15.2],
  GA: [-0.6, 11.6], GQ: [1.6, 10.5], ST: [0.3, 6.7], AO: [-12.3, 17.5], ZM: [-13.1, 27.8],
  MW: [-13.2, 34.3], MZ: [-17.3, 35.5], ZW: [-19, 29.8], BW: [-22.3, 24.7], NA: [-22.1, 17.2],
  ZA: [-29, 25], LS: [-29.6, 28.2], SZ: [-26.5, 31.5], MG: [-19.4, 46.7], MU: [-20.3, 57.6],
  KM: [-11.9, 43.9], SC: [-4.7, 55.5], CV: [15.1, -23.6], US: [39.5, -98.5], CA: [57, -101],
  MX: [23.6, -102.5], GT: [15.7, -90.3], BZ: [17.2, -88.7], HN: [14.8, -86.6], SV: [13.8, -88.9],
  NI: [12.9, -85.2], CR: [9.9, -84.2], PA: [8.5, -80.1], CU: [21.5, -79.5], HT: [19, -72.7],
  DO: [18.9, -70.5], JM: [18.1, -77.3], BS: [24.7, -77.8], TT: [10.4, -61.3], BB: [13.2, -59.5],
  LC: [13.9, -61], DM: [15.4, -61.4], GD: [12.1, -61.7], VC: [13.2, -61.2], AG: [17.1, -61.8],
  KN: [17.3, -62.7], CO: [4, -73], VE: [7, -66], GY: [4.9, -58.9], SR: [4, -55.9], EC: [-1.5, -78.4],
  PE: [-9.2, -75], BO: [-16.7, -64.7], BR: [-10.8, -52.9], PY: [-23.4, -58.4], UY: [-32.8, -56],
  AR: [-35.4, -65.2], CL: [-33, -71], SA: [24, 45], YE: [15.9, 47.6], OM: [21, 57], AE: [24, 54],
  QA: [25.3, 51.2], BH: [26, 50.5], KW: [29.3, 47.6], IQ: [33, 43.7], SY: [35, 38.5], LB: [33.9, 35.9],
  IL: [31.4, 35], PS: [31.9, 35.2], JO: [31.3, 36.4], IR: [32.5, 54], AF: [33.9, 67.7], PK: [30, 69.4],
  IN: [22, 79], NP: [28.4, 84.1], BT: [27.5, 90.4], BD: [23.7, 90.3], LK: [7.9, 80.8], MV: [3.2, 73.2],
  KZ: [48, 67], UZ: [41.4, 64.6], TM: [39, 59.6], KG: [41.5, 74.8], TJ: [38.9, 71.3], CN: [35, 104],
  MN: [46.9, 103.8], KP: [40.3, 127.5], KR: [36.5, 127.9], JP: [37.5, 138], TW: [23.7, 121],
  MM: [21.9, 96], TH: [15.9, 101], LA: [19.9, 102.5], KH: [12.6, 104.9], VN: [15.9, 105.8],
  MY: [4.2, 102], SG: [1.35, 103.8], ID: [-2.5, 118], PH: [12.9, 121.8], BN: [4.5, 114.7],
  TL: [-8.9, 125.7], PG: [-6.3, 143.9], AU: [-25.3, 133.8], NZ: [-41, 174], FJ: [-17.7, 178.1],
  VU: [-15.4, 166.9], SB: [-9.6, 160.2], NC: [-21.3, 165.5], PF: [-17.7, -149.4], WF: [-13.8, -177.2],
  PM: [46.9, -56.3], GP: [16.2, -61.6], MQ: [14.6, -61], GF: [4, -53], RE: [-21.1, 55.5], YT: [-12.8, 45.2],
  BL: [17.9, -62.8], MF: [18.1, -63.05], HK: [22.3, 114.2], MO: [22.2, 113.5], PR: [18.2, -66.5],
  GL: [72, -40], AD: [42.5, 1.5], MC: [43.7, 7.4], SM: [43.9, 12.5], VA: [41.9, 12.45], LI: [47.2, 9.55]
};

/* Les terres, en quelques points par continent (longitude, latitude) : un repère, pas un tracé. */
var LANDS = [
  [[-168, 66], [-140, 70], [-95, 72], [-80, 63], [-60, 55], [-66, 45], [-80, 25], [-97, 19], [-83, 9],
    [-105, 20], [-118, 33], [-125, 48], [-150, 60]],
  [[-80, 9], [-72, 12], [-50, 0], [-35, -6], [-40, -22], [-58, -38], [-68, -55], [-75, -45], [-71, -18],
    [-81, -5]],
  [[-10, 36], [-9, 43], [-2, 48], [-5, 58], [10, 64], [25, 71], [40, 67], [40, 45], [28, 41], [20, 39],
    [12, 44], [3, 43]],
  [[-17, 21], [-10, 35], [10, 37], [32, 31], [43, 12], [51, 11], [40, -15], [32, -28], [19, -35],
    [12, -17], [9, 4], [-8, 4], [-17, 14]],
  [[40, 67], [70, 73], [110, 77], [180, 68], [160, 60], [135, 43], [122, 30], [108, 20], [100, 1],
    [80, 8], [72, 20], [57, 25], [48, 13], [35, 30], [28, 41], [40, 45]],
  [[114, -22], [122, -18], [136, -12], [145, -15], [153, -28], [145, -38], [131, -31], [115, -34]]
];

export function initCharts(go) {
  navigate = go;
  // Ouvert sur grand écran ; replié sur un téléphone, pour ne pas éloigner les résultats.
  if (window.matchMedia && window.matchMedia('(min-width: 48rem)').matches) el.charts.open = true;
}

function node(tag, attrs, parent) {
  var n = document.createElementNS(SVG, tag);
  Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
  if (parent) parent.appendChild(n);
  return n;
}

/* Un élément SVG qui se comporte comme un bouton : clic, Entrée, Espace. */
function asButton(n, label, pressed, act) {
  n.setAttribute('role', 'button');
  n.setAttribute('tabindex', '0');
  n.setAttribute('aria-label', label);
  n.setAttribute('aria-pressed', pressed ? 'true' : 'false');
  node('title', {}, n).textContent = label;
  n.addEventListener('click', act);
  n.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); act(); }
  });
}

function documents(n) { return formatInt(n) + (n === 1 ? ' document' : ' documents'); }

export function renderCharts(st, facets) {
  if (!st.f.country) facets = { year: facets.year };
  var countries = (facets.country || []).filter(function (c) { return CENTRES[c.id] && c.count > 0; });
  var years = (facets.year || []).filter(function (y) { return /^\d{4}$/.test(String(y.id)) && y.count > 0; });
  clearChildren(el.chartsMap);
  clearChildren(el.chartsTimeline);
  el.chartsMapBlock.hidden = !countries.length;
  el.chartsTimelineBlock.hidden = years.length < 2;
  el.charts.hidden = !countries.length && years.length < 2;
  if (countries.length) drawMap(st, countries);
  if (years.length >= 2) drawTimeline(st, years);
}

function drawMap(st, countries) {
  var svg = node('svg', { viewBox: '-180 -90 360 180', class: 'map', role: 'group',
    'aria-labelledby': 'charts-map-title', 'aria-describedby': 'charts-map-desc' }, el.chartsMap);
  node('rect', { x: -180, y: -90, width: 360, height: 180, class: 'map-sea' }, svg);
  for (var lon = -150; lon <= 150; lon += 30) node('line', { x1: lon, y1: -90, x2: lon, y2: 90, class: 'map-grid' }, svg);
  for (var lat = -60; lat <= 60; lat += 30) node('line', { x1: -180, y1: -lat, x2: 180, y2: -lat, class: 'map-grid' }, svg);
  LANDS.forEach(function (land) {
    node('polygon', { points: land.map(function (p) { return p[0] + ',' + (-p[1]); }).join(' '),
      class: 'map-land', 'aria-hidden': 'true' }, svg);
  });
  var max = Math.max.apply(null, countries.map(function (c) { return c.count; }));
  // Les plus grands d'abord : un petit pays voisin reste cliquable par-dessus.
  countries.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (c) {
    var at = CENTRES[c.id];
    var on = st.f.country.indexOf(String(c.id)) >= 0;
    var g = node('g', { class: 'map-country' + (on ? ' on' : ''), 'data-country': c.id }, svg);
    node('circle', { cx: at[1], cy: -at[0], r: (2.2 + 9 * Math.sqrt(c.count / max)).toFixed(2) }, g);
    asButton(g, String(c.label || c.id) + ' : ' + documents(c.count), on, function () {
      var f = withState(session.current, {}).f;
      var id = String(c.id);
      f.country = on ? f.country.filter(function (v) { return v !== id; }) : f.country.concat([id]);
      navigate(withState(session.current, { f: f, page: 1, doc: null, similar: null }));
    });
  });
}

function drawTimeline(st, years) {
  years = years.slice().sort(function (a, b) { return Number(a.id) - Number(b.id); });
  var first = Number(years[0].id), last = Number(years[years.length - 1].id);
  var span = last - first + 1;
  var width = Math.max(300, span * 14), height = 110, base = 88;
  var max = Math.max.apply(null, years.map(function (y) { return y.count; }));
  var svg = node('svg', { viewBox: '0 0 ' + width + ' ' + height, class: 'timeline', role: 'group',
    'aria-labelledby': 'charts-timeline-title', 'aria-describedby': 'charts-map-desc' },
  el.chartsTimeline);
  node('line', { x1: 0, y1: base, x2: width, y2: base, class: 'timeline-axis' }, svg);
  var step = width / span;
  var every = Math.max(1, Math.ceil(span / 8)); // des étiquettes qui ne se chevauchent pas
  years.forEach(function (y) {
    var n = Number(y.id);
    var x = (n - first) * step;
    var h = Math.max(3, (base - 8) * y.count / max);
    var on = st.yearFrom === String(n) && st.yearTo === String(n);
    var g = node('g', { class: 'timeline-year' + (on ? ' on' : ''), 'data-year': n }, svg);
    node('rect', { x: (x + step * 0.15).toFixed(2), y: (base - h).toFixed(2), width: (step * 0.7).toFixed(2), height: h.toFixed(2) }, g);
    asButton(g, n + ' : ' + documents(y.count), on, function () {
      navigate(withState(session.current, { yearFrom: on ? '' : String(n), yearTo: on ? '' : String(n),
        page: 1, doc: null, similar: null }));
    });
  });
  for (var n = first; n <= last; n += every) {
    var t = node('text', { x: ((n - first) * step + step / 2).toFixed(2), y: height - 4, class: 'timeline-label',
      'text-anchor': 'middle', 'aria-hidden': 'true' }, svg);
    t.textContent = String(n);
  }
}
