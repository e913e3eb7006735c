// Apache ECharts, only the parts the dashboard uses (a smaller bundle), and the charts: the map
// of alert levels and a series' counts with threshold band and forecast fan, and its Rt.
//
// Tooltips render on the canvas (renderMode 'richText'): ECharts' HTML tooltips put inline
// style attributes into the page, which the Content-Security-Policy (style-src 'self') forbids.
import * as echarts from 'echarts/core';
import { CustomChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import {
    AriaComponent,
    GridComponent,
    LegendComponent,
    MarkLineComponent,
    TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import gbaUrl from '../data/gba.geojson';
import { t, nameOf } from './i18n.js';

echarts.use([
    CustomChart,
    LineChart,
    MapChart,
    ScatterChart,
    AriaComponent,
    GridComponent,
    LegendComponent,
    MarkLineComponent,
    TooltipComponent,
    CanvasRenderer,
]);

export const LEVELS = ['none', 'watch', 'warning', 'alert'];

// The level colours are defined once, in style.css (--level-*), for badges, legend and map.
function levelColour(level) {
    return getComputedStyle(document.documentElement).getPropertyValue(`--level-${level}`).trim();
}

const TEXT = '#1d2939';
const INK = { observed: '#1d4e89', expected: '#5b6472', band: '#9ec5e8', alarm: '#b42318', fan: '#7a5195', rt: '#0b5d63' };

let geoReady = null;

async function loadGeo() {
    if (!geoReady) {
        geoReady = fetch(gbaUrl, { credentials: 'omit' }).then((res) => {
            if (!res.ok) throw new Error(`map boundaries: HTTP ${res.status}`);
            return res.json();
        }).then((geo) => {
            echarts.registerMap('gba', geo);
            return geo;
        });
    }
    return geoReady;
}

// A chart in el that follows el's size; returns the instance. An older one on el is disposed.
// When el leaves the page (the view changed) the chart is disposed and stops observing.
function chartIn(el) {
    echarts.getInstanceByDom(el)?.dispose();
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    const observer = new ResizeObserver(() => {
        if (!el.isConnected) {
            observer.disconnect();
            chart.dispose();
        } else if (!chart.isDisposed() && el.clientWidth > 0 && el.clientHeight > 0) {
            chart.resize();
        }
    });
    observer.observe(el);
    return chart;
}

function levelRank(level) {
    return Math.max(0, LEVELS.indexOf(level));
}

// The level each map feature shows: the highest among the region itself, its parent (an alert
// for all Hong Kong colours every district) and its children (a city's alert colours Guangdong,
// which the map draws as one province).
export function featureLevels(geo, overviewRegions, regionsByCode) {
    const level = new Map(overviewRegions.map((r) => [r.code, r.level]));
    const out = new Map();
    for (const f of geo.features) {
        const code = f.properties.code;
        let best = levelRank(level.get(code));
        const parent = regionsByCode.get(code)?.parent;
        if (parent) best = Math.max(best, levelRank(level.get(parent)));
        for (const r of overviewRegions)
            if (regionsByCode.get(r.code)?.parent === code) best = Math.max(best, levelRank(r.level));
        out.set(code, LEVELS[best]);
    }
    return out;
}

export async function drawMap(el, overviewRegions, regionsByCode, onPick) {
    const geo = await loadGeo();
    const levels = featureLevels(geo, overviewRegions, regionsByCode);
    const chart = chartIn(el);
    const data = geo.features.map((f) => {
        const code = f.properties.code;
        const level = levels.get(code);
        return {
            name: code,
            value: levelRank(level),
            level,
            itemStyle: { areaColor: levelColour(level) },
        };
    });
    chart.setOption({
        aria: { enabled: true, label: { description: t('overview.map_label') } },
        tooltip: {
            trigger: 'item',
            renderMode: 'richText',
            formatter: (p) => `${nameOf(regionsByCode.get(p.name))}\n${t('level.' + p.data.level)}`,
        },
        series: [
            {
                type: 'map',
                map: 'gba',
                nameProperty: 'code',
                roam: true,
                // The Pearl River Delta: Guangdong's far corners would shrink Hong Kong's districts
                // to specks.
                center: [113.6, 22.6],
                zoom: 2.6,
                scaleLimit: { min: 1, max: 40 },
                selectedMode: false,
                itemStyle: { borderColor: '#ffffff', borderWidth: 0.8 },
                emphasis: { label: { show: false }, itemStyle: { areaColor: '#7fb7be' } },
                label: { show: false },
                data,
            },
        ],
    });
    chart.on('click', (p) => onPick?.(p.name));
    return chart;
}

// A filled band between lo and hi over x (arrays of equal length; nulls break the band), drawn
// as one polygon per step so that it needs no stacking and works on a time axis.
function band(name, x, lo, hi, colour, opacity) {
    const data = x.map((d, i) => [d, lo[i], hi[i]]);
    return {
        name,
        type: 'custom',
        data,
        silent: true,
        z: 1,
        itemStyle: { color: colour },
        renderItem(params, api) {
            const i = params.dataIndex;
            if (i + 1 >= data.length) return null;
            const a = data[i];
            const b = data[i + 1];
            if (a[1] == null || a[2] == null || b[1] == null || b[2] == null) return null;
            return {
                type: 'polygon',
                shape: {
                    points: [api.coord([a[0], a[1]]), api.coord([b[0], b[1]]), api.coord([b[0], b[2]]), api.coord([a[0], a[2]])],
                },
                style: { fill: colour, opacity },
            };
        },
        encode: { x: 0, y: [1, 2] },
    };
}

function baseOption(description) {
    return {
        aria: { enabled: true, label: { description } },
        textStyle: { color: TEXT },
        grid: { left: 56, right: 16, top: 56, bottom: 40 },
        legend: { top: 0, type: 'plain', textStyle: { color: TEXT } },
        tooltip: { trigger: 'axis', renderMode: 'richText' },
        xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', scale: false },
    };
}

// The periods shown: up to the latest screened period (or the latest report when the series was
// never screened) and WINDOW periods before it, or from a little before the first signal. A
// database loaded with history beyond its latest daily run shows that run's view of the series.
const WINDOW = 120;
export function shownPoints(series, method) {
    const signals = series.signals.filter((s) => s.method === method);
    const points = series.points;
    const lastDate = signals.length ? signals[signals.length - 1].period : points[points.length - 1].date;
    let end = points.findIndex((p) => p.date > lastDate);
    if (end < 0) end = points.length;
    const firstSignal = signals.length ? points.findIndex((p) => p.date >= signals[0].period) : end;
    const start = Math.max(0, Math.min(end - WINDOW, firstSignal - 30));
    return points.slice(start, end);
}

// The counts chart: reported values, the chosen method's expected value and threshold band
// (expected to upper bound), its alarms, and the latest forecast's median with 50% and 95% fans.
export function drawCounts(el, series, method, description) {
    const chart = chartIn(el);
    const points = series.points;
    const signals = series.signals.filter((s) => s.method === method);
    const shown = shownPoints(series, method);
    const sx = signals.map((s) => s.period);
    const out = [
        {
            name: t('series.observed'),
            type: 'line',
            showSymbol: false,
            data: shown.map((p) => [p.date, p.value]),
            lineStyle: { color: INK.observed, width: 2 },
            itemStyle: { color: INK.observed },
            z: 3,
        },
    ];
    if (signals.length) {
        out.push(band(t('series.threshold'), sx, signals.map((s) => s.expected), signals.map((s) => s.upperbound), INK.band, 0.6));
        out.push({
            name: t('series.expected'),
            type: 'line',
            showSymbol: false,
            data: signals.map((s) => [s.period, s.expected]),
            lineStyle: { color: INK.expected, type: 'dashed' },
            itemStyle: { color: INK.expected },
            z: 2,
        });
        out.push({
            name: t('series.alarm'),
            type: 'scatter',
            symbol: 'triangle',
            symbolSize: 11,
            data: signals.filter((s) => s.alarm).map((s) => [s.period, s.observed]),
            itemStyle: { color: INK.alarm },
            z: 4,
        });
    }
    const fc = series.forecast;
    if (fc && fc.targets?.length) {
        const at = (q) => fc.levels.findIndex((l) => Math.abs(l - q) < 1e-9);
        const col = (q) => fc.quantiles.map((row) => row[at(q)]);
        out.push(band(t('series.fan95'), fc.targets, col(0.025), col(0.975), INK.fan, 0.18));
        out.push(band(t('series.fan50'), fc.targets, col(0.25), col(0.75), INK.fan, 0.35));
        out.push({
            name: t('series.forecast'),
            type: 'line',
            showSymbol: false,
            data: fc.targets.map((d, i) => [d, col(0.5)[i]]),
            lineStyle: { color: INK.fan, width: 2 },
            itemStyle: { color: INK.fan },
            z: 3,
        });
    }
    chart.setOption({ ...baseOption(description), series: out });
    return chart;
}

// Rt over time: the median and the 50% and 95% credible intervals, with the line Rt = 1.
export function drawRt(el, rt, description) {
    const chart = chartIn(el);
    const x = rt.map((r) => r.t_end);
    chart.setOption({
        ...baseOption(description),
        series: [
            band(t('series.rt_ci'), x, rt.map((r) => r.q025), rt.map((r) => r.q975), INK.rt, 0.18),
            band(t('series.rt50'), x, rt.map((r) => r.q25), rt.map((r) => r.q75), INK.rt, 0.35),
            {
                name: t('series.rt_median'),
                type: 'line',
                showSymbol: rt.length < 40,
                data: rt.map((r) => [r.t_end, r.median]),
                lineStyle: { color: INK.rt, width: 2 },
                itemStyle: { color: INK.rt },
                markLine: {
                    silent: true,
                    symbol: 'none',
                    lineStyle: { color: '#5b6472', type: 'dotted' },
                    label: { formatter: 'Rt = 1' },
                    data: [{ yAxis: 1 }],
                },
                z: 3,
            },
        ],
    });
    return chart;
}

