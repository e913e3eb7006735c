// What every view shares: the reference data (regions and diseases, loaded once per sign-in),
// the live region that announces results, and how a failed request is shown.
import { get, ApiError } from './api.js';
import { h } from './dom.js';
import { t, nameOf } from './i18n.js';

export const ref = { regions: [], byCode: new Map(), diseases: [], diseaseByCode: new Map() };

export async function loadReference() {
    const [regions, diseases] = await Promise.all([get('/regions'), get('/diseases')]);
    ref.regions = regions.items;
    ref.byCode = new Map(regions.items.map((r) => [r.code, r]));
    ref.diseases = diseases.items;
    ref.diseaseByCode = new Map(diseases.items.map((d) => [d.code, d]));
}

export function forgetReference() {
    ref.regions = [];
}

export function regionName(code) {
    return ref.byCode.has(code) ? nameOf(ref.byCode.get(code)) : code;
}

export function diseaseName(code) {
    return ref.diseaseByCode.has(code) ? nameOf(ref.diseaseByCode.get(code)) : code;
}

export function measureName(code) {
    const text = t(`measure.${code}`);
    return text === `measure.${code}` ? code : text;
}

let statusEl = null;

export function setStatusElement(el) {
    statusEl = el;
}

// Announce the result of an action (screen readers read the polite live region; it is visible).
export function announce(text) {
    if (statusEl) statusEl.textContent = text;
}

export function problemText(err) {
    if (err instanceof ApiError && err.status === 0) return t('error.network');
    if (err instanceof ApiError) return t('error.generic', { detail: err.problem.detail || err.problem.title });
    return t('error.generic', { detail: err.message });
}

export function errorBox(err) {
    return h('p', { class: 'error', role: 'alert' }, problemText(err));
}

// A level as a badge: colour and the word (never colour alone).
export function levelBadge(level) {
    return h('span', { class: `badge level-${level}` }, t(`level.${level}`));
}

// A table with a caption, column headers and rows of cells (strings or nodes).
export function table(caption, columns, rows, options = {}) {
    return h(
        'table',
        { class: options.class || null },
        caption ? h('caption', {}, caption) : null,
        h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => (i === 0 && options.rowHeader ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))),
    );
}
