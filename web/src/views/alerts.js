// Alerts: the list (open ones, or all) and one alert with its history and the workflow actions
// its status allows (docs/early-warning.md):
//   new ─assess→ assessing ─confirm→ confirmed ─close→ closed; dismiss from new or assessing;
//   reopen from dismissed or closed; comment any time.
// The server decides who may act (an authority acts on its own jurisdiction's alerts); a refusal
// is shown as the problem it returns.
import { get, post, query } from '../api.js';
import { h, fill } from '../dom.js';
import { t, when } from '../i18n.js';
import { regionName, diseaseName, measureName, levelBadge, table, announce, errorBox } from '../shared.js';

const NEXT = {
    new: ['assess', 'dismiss'],
    assessing: ['confirm', 'dismiss'],
    confirmed: ['close'],
    dismissed: ['reopen'],
    closed: ['reopen'],
};
const NEEDS_COMMENT = new Set(['dismiss', 'comment']);

function seriesLink(a) {
    return `#/series${query({ region: a.region, disease: a.disease, measure: a.measure })}`;
}

export async function showAlerts(main, params) {
    const status = params.get('status') || 'open';
    const region = params.get('region');
    const data = await get(`/alerts${query({ status: status === 'all' ? '' : status })}`);
    const items = region ? data.items.filter((a) => a.region === region) : data.items;
    const filter = h(
        'select',
        { id: 'alert-filter' },
        [
            ['open', t('alerts.open')],
            ['all', t('alerts.all')],
            ...Object.keys(NEXT).map((s) => [s, t(`status.${s}`)]),
        ].map(([v, label]) => h('option', { value: v, selected: v === status }, label)),
    );
    filter.addEventListener('change', () => {
        location.hash = `#/alerts${query({ status: filter.value, region })}`;
    });
    fill(
        main,
        h('h1', { tabindex: '-1' }, region ? `${t('alerts.title')} · ${regionName(region)}` : t('alerts.title')),
        h('div', { class: 'field inline' }, h('label', { for: 'alert-filter' }, t('alerts.filter')), filter),
        items.length
            ? table(
                  null,
                  [t('col.id'), t('col.area'), t('col.disease'), t('col.measure'), t('col.level'), t('col.status'), t('col.first'), t('col.last')],
                  items.map((a) => [
                      h('a', { href: `#/alerts/${a.id}` }, t('alert.title', { id: a.id })),
                      regionName(a.region),
                      diseaseName(a.disease),
                      h('a', { href: seriesLink(a) }, measureName(a.measure)),
                      levelBadge(a.level),
                      t(`status.${a.status}`),
                      a.first_date,
                      a.last_date,
                  ]),
                  { class: 'alerts', rowHeader: true },
              )
            : h('p', {}, t('alerts.empty')),
    );
}

function details(a) {
    return h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('col.area')),
        h('dd', {}, regionName(a.region)),
        h('dt', {}, t('col.disease')),
        h('dd', {}, diseaseName(a.disease)),
        h('dt', {}, t('col.measure')),
        h('dd', {}, h('a', { href: seriesLink(a) }, `${measureName(a.measure)} — ${t('alert.series')}`)),
        h('dt', {}, t('col.level')),
        h('dd', {}, levelBadge(a.level)),
        h('dt', {}, t('alert.max_level')),
        h('dd', {}, levelBadge(a.max_level)),
        h('dt', {}, t('col.status')),
        h('dd', { id: 'alert-status' }, t(`status.${a.status}`)),
        h('dt', {}, t('col.first')),
        h('dd', {}, a.first_date),
        h('dt', {}, t('col.last')),
        h('dd', {}, a.last_date),
        h('dt', {}, t('alert.evidence')),
        h('dd', {}, a.evidence),
    );
}

function actionName(action) {
    const text = t(`action.${action}`);
    return text === `action.${action}` ? action : text;
}

function history(a) {
    return table(
        t('alert.history'),
        [t('col.at'), t('col.actor'), t('col.action'), t('col.level'), t('col.period'), t('col.comment')],
        [...a.history].reverse().map((e) => [
            when(e.at),
            e.actor,
            actionName(e.action),
            e.level ? t(`level.${e.level}`) : '—',
            e.period || '—',
            e.comment || '',
        ]),
        { class: 'history' },
    );
}

function actions(a, main) {
    const comment = h('textarea', { id: 'alert-comment', rows: 3, 'aria-describedby': 'comment-hint' });
    const message = h('div', { class: 'action-result' });
    const act = async (action) => {
        const text = comment.value.trim();
        if (NEEDS_COMMENT.has(action) && !text) {
            fill(message, h('p', { class: 'error', role: 'alert' }, t('alert.comment_needed')));
            comment.focus();
            return;
        }
        try {
            const updated = await post(`/alerts/${a.id}/actions`, text ? { action, comment: text } : { action });
            await showAlert(main, String(a.id), updated);
            announce(t('alert.done', { action: actionName(action), status: t(`status.${updated.status}`) }));
            document.getElementById('alert-actions-h')?.focus();
        } catch (err) {
            fill(message, errorBox(err));
        }
    };
    return h(
        'section',
        { class: 'panel', 'aria-labelledby': 'alert-actions-h' },
        h('h2', { id: 'alert-actions-h', tabindex: '-1' }, t('alert.act')),
        h('label', { for: 'alert-comment' }, t('alert.comment')),
        comment,
        h('p', { id: 'comment-hint', class: 'hint' }, t('alert.comment_hint')),
        h(
            'div',
            { class: 'buttons' },
            [...(NEXT[a.status] || []), 'comment'].map((action) =>
                h('button', { type: 'button', class: action === 'comment' ? 'secondary' : null, onclick: () => act(action) }, actionName(action)),
            ),
        ),
        message,
    );
}

// One alert; `known` is the alert as an action just returned it (no second request).
export async function showAlert(main, id, known) {
    const a = known || (await get(`/alerts/${encodeURIComponent(id)}`));
    fill(
        main,
        h('p', {}, h('a', { href: '#/alerts' }, t('alert.back'))),
        h('h1', { tabindex: '-1' }, t('alert.title', { id: a.id }), ' ', levelBadge(a.level)),
        details(a),
        actions(a, main),
        h('section', { class: 'panel' }, history(a)),
    );
}
