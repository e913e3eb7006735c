// One series (region × disease × measure): the reported values with a detection method's expected
// value, threshold band and alarms, the latest forecast's fan, and Rt with its credible
// intervals. Every chart has a text summary beside it, for those who cannot see it.
import { get, query } from '../api.js';
import { drawCounts, drawRt, shownPoints } from '../charts.js';
import { h, fill } from '../dom.js';
import { t, num, nameOf } from '../i18n.js';
import { ref, regionName, diseaseName, measureName } from '../shared.js';

const MEASURES = ['cases', 'imported_cases', 'deaths', 'admissions', 'positives', 'ili_rate', 'positivity'];

function picker(params) {
    const select = (id, label, options, value) =>
        h(
            'div',
            { class: 'field' },
            h('label', { for: id }, label),
            h(
                'select',
                { id, name: id },
                options.map(([code, text]) => h('option', { value: code, selected: code === value }, text)),
            ),
        );
    const form = h(
        'form',
        { class: 'picker', 'aria-label': t('series.pick') },
        select('region', t('series.region'), ref.regions.map((r) => [r.code, nameOf(r)]), params.get('region') || '810000'),
        select(
            'disease',
            t('series.disease'),
            ref.diseases.map((d) => [d.code, nameOf(d)]).sort((a, b) => a[1].localeCompare(b[1])),
            params.get('disease') || 'influenza',
        ),
        select('measure', t('series.measure'), MEASURES.map((m) => [m, measureName(m)]), params.get('measure') || 'cases'),
        h('button', { type: 'submit' }, t('series.show')),
    );
    form.addEventListener('submit', (event) => {
        event.preventDefault();
        const f = new FormData(form);
        location.hash = `#/series${query({ region: f.get('region'), disease: f.get('disease'), measure: f.get('measure') })}`;
    });
    return form;
}

function countsSummary(series, method) {
    const shown = shownPoints(series, method);
    const last = shown[shown.length - 1];
    const alarms = series.signals.filter((s) => s.method === method && s.alarm).length;
    const lines = [t('series.latest', { value: num(last.value, 2), date: last.date }), t('series.alarms', { n: num(alarms) })];
    const fc = series.forecast;
    if (fc && fc.targets?.length)
        lines.push(t('series.forecast_from', { date: fc.origin, model: fc.model, n: fc.targets.length }));
    return lines.join(' ');
}

function rtSummary(rt) {
    const r = rt[rt.length - 1];
    return t('series.rt_latest', {
        median: num(r.median, 2),
        lo: num(r.q025, 2),
        hi: num(r.q975, 2),
        start: r.t_start,
        end: r.t_end,
    });
}

export async function showSeries(main, params) {
    const heading = h('h1', { tabindex: '-1' }, t('series.title'));
    const region = params.get('region');
    const disease = params.get('disease');
    const measure = params.get('measure');
    if (!region || !disease || !measure) {
        fill(main, heading, picker(params));
        return;
    }
    const series = await get(`/surveillance/series${query({ region, disease, measure })}`);
    heading.textContent = `${diseaseName(disease)} · ${measureName(measure)} · ${regionName(region)}`;
    if (!series.points.length) {
        fill(main, heading, picker(params), h('p', {}, t('series.nodata')));
        return;
    }
    const methods = [...new Set(series.signals.map((s) => s.method))];
    let method = params.get('method') && methods.includes(params.get('method')) ? params.get('method') : methods[methods.length - 1];
    const countsBox = h('div', { class: 'chart' });
    const countsText = h('p', { class: 'chart-text', id: 'counts-text' });
    const methodSelect = methods.length
        ? h(
              'div',
              { class: 'field inline' },
              h('label', { for: 'method' }, t('series.method')),
              h('select', { id: 'method' }, methods.map((m) => h('option', { value: m, selected: m === method }, m))),
          )
        : null;
    const rtBox = series.rt.length ? h('div', { class: 'chart' }) : null;
    fill(
        main,
        heading,
        picker(params),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'counts-h' },
            h('h2', { id: 'counts-h' }, t('series.counts')),
            methodSelect,
            countsBox,
            countsText,
        ),
        h(
            'section',
            { class: 'panel', 'aria-labelledby': 'rt-h' },
            h('h2', { id: 'rt-h' }, t('series.rt')),
            rtBox,
            h('p', { class: 'chart-text' }, series.rt.length ? rtSummary(series.rt) : t('series.nort')),
        ),
    );
    const drawCountsChart = () => {
        const text = countsSummary(series, method);
        countsText.textContent = text;
        drawCounts(countsBox, series, method, `${t('series.counts')}. ${text}`);
    };
    drawCountsChart();
    methodSelect?.querySelector('select').addEventListener('change', (event) => {
        method = event.target.value;
        drawCountsChart();
    });
    if (rtBox) drawRt(rtBox, series.rt, `${t('series.rt')}. ${rtSummary(series.rt)}`);
}
