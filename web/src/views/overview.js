// The situation: per jurisdiction the open alerts by level and the latest report and run; the map
// of the Greater Bay Area coloured by alert level; the areas with open alerts as a table (what
// the map shows, for keyboard and screen-reader users too), each with a link to its alerts.
import { get } from '../api.js';
import { drawMap, LEVELS } from '../charts.js';
import { h, fill } from '../dom.js';
import { t, num } from '../i18n.js';
import { ref, regionName, levelBadge, table, errorBox } from '../shared.js';

function summary(jurisdictions) {
    return h(
        'section',
        { class: 'cards', 'aria-labelledby': 'summary-h' },
        h('h2', { id: 'summary-h' }, t('overview.summary')),
        h(
            'div',
            { class: 'card-row' },
            jurisdictions.map((j) =>
                h(
                    'article',
                    { class: 'card' },
                    h('h3', {}, t(`juris.${j.jurisdiction}`)),
                    h(
                        'dl',
                        {},
                        h('dt', {}, t('overview.open')),
                        h(
                            'dd',
                            { class: 'levels' },
                            ['watch', 'warning', 'alert'].map((l) =>
                                h('span', { class: `count level-${l}` }, `${t(`level.${l}`)} ${num(j[l])}`),
                            ),
                        ),
                        h('dt', {}, t('overview.latest_report')),
                        h('dd', {}, j.latest_report || '—'),
                        h('dt', {}, t('overview.latest_run')),
                        h('dd', {}, j.latest_run || '—'),
                    ),
                ),
            ),
        ),
    );
}

function legend() {
    return h(
        'ul',
        { class: 'legend', 'aria-label': t('overview.legend') },
        LEVELS.map((l) =>
            h('li', {}, h('span', { class: `swatch level-${l}`, 'aria-hidden': 'true' }), t(`level.${l}`)),
        ),
    );
}

function areas(regions) {
    const alerting = regions.filter((r) => r.open_alerts > 0);
    if (!alerting.length) return h('p', {}, t('overview.areas_none'));
    const order = (r) => -LEVELS.indexOf(r.level);
    alerting.sort((a, b) => order(a) - order(b) || b.open_alerts - a.open_alerts);
    return table(
        null,
        [t('col.area'), t('col.jurisdiction'), t('col.level'), t('col.open')],
        alerting.map((r) => [
            h('a', { href: `#/alerts?region=${encodeURIComponent(r.code)}` }, regionName(r.code)),
            t(`juris.${r.jurisdiction}`),
            levelBadge(r.level),
            num(r.open_alerts),
        ]),
        { rowHeader: true },
    );
}

export async function showOverview(main) {
    const data = await get('/surveillance/overview');
    const mapBox = h('div', { class: 'map', role: 'img', 'aria-label': t('overview.map_label') });
    fill(
        main,
        h('h1', { tabindex: '-1' }, t('overview.title')),
        summary(data.jurisdictions),
        h(
            'div',
            { class: 'overview-grid' },
            h(
                'section',
                { class: 'panel', 'aria-labelledby': 'map-h' },
                h('h2', { id: 'map-h' }, t('overview.map')),
                mapBox,
                legend(),
                h('p', { class: 'note' }, t('overview.map_note')),
            ),
            h(
                'section',
                { class: 'panel', 'aria-labelledby': 'areas-h' },
                h('h2', { id: 'areas-h' }, t('overview.areas')),
                areas(data.regions),
                h('p', {}, h('a', { href: '#/alerts' }, t('overview.alerts_link'))),
            ),
        ),
    );
    try {
        await drawMap(mapBox, data.regions, ref.byCode, (code) => {
            location.hash = `#/alerts?region=${encodeURIComponent(code)}`;
        });
    } catch (err) {
        mapBox.replaceWith(errorBox(err));
    }
}
