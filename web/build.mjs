// Build the dashboard into one flat directory of static files that `healthybay serve` embeds:
//
//   node build.mjs [OUTDIR]        (default: dist/)
//
// index.html (never cached: it names the current assets) and content-hashed assets
// (main-<hash>.js, main-<hash>.css, gba-<hash>.geojson, favicon-<hash>.svg: cached forever).
// The directory is flat and every name is [A-Za-z0-9._-] so that the server can look a request
// path up in a fixed table (src/server/web.c): there is no file system path to traverse.
// Nothing is loaded from elsewhere at run time: no CDN, no inline script or style (the server's
// Content-Security-Policy forbids both).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(process.argv[2] || join(here, 'dist'));

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await build({
    entryPoints: [join(here, 'src', 'main.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    outdir,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.geojson': 'file' },
    legalComments: 'eof', // ECharts' Apache-2.0 notice travels with the code
    metafile: true,
    logLevel: 'warning',
});

// A static file copied under a content-hashed name.
function hashed(path) {
    const bytes = readFileSync(path);
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 8).toUpperCase();
    const name = `${basename(path, extname(path))}-${hash}${extname(path)}`;
    writeFileSync(join(outdir, name), bytes);
    return name;
}

const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const script = outputs.find((n) => n.startsWith('main-') && n.endsWith('.js'));
const style = outputs.find((n) => n.startsWith('main-') && n.endsWith('.css'));
if (!script || !style) throw new Error(`build: no main script or style among ${outputs.join(' ')}`);
const icon = hashed(join(here, 'src', 'favicon.svg'));

const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
    .replace('{{script}}', script)
    .replace('{{style}}', style)
    .replace('{{icon}}', icon);
if (html.includes('{{')) throw new Error('build: src/index.html has a placeholder left');
writeFileSync(join(outdir, 'index.html'), html);

for (const name of readdirSync(outdir)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name))
        throw new Error(`build: '${name}' is not a name the server can serve`);
}
console.log(`dashboard: built ${readdirSync(outdir).length} files into ${outdir}`);
