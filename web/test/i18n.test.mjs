// The i18n table is whole: every language has exactly English's keys, with the same {placeholders},
// and every key the source uses exists. (Runs with the browser test: node --test web/test/.)
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
// i18n.js touches document and localStorage only when called: importing it in Node is safe.
const { LANGS, TABLE } = await import(join(src, 'i18n.js'));

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every language has every key, with the same placeholders', () => {
    assert.deepEqual(LANGS.map((l) => l.code).sort(), Object.keys(TABLE).sort());
    const keys = Object.keys(TABLE.en).sort();
    for (const { code } of LANGS) {
        if (code === 'en') continue;
        assert.deepEqual(Object.keys(TABLE[code]).sort(), keys, `${code}: keys differ from English`);
        for (const key of keys)
            assert.deepEqual(placeholders(TABLE[code][key]), placeholders(TABLE.en[key]), `${code} ${key}`);
    }
});

test('every key the source uses is in the table, and every key is used', () => {
    const files = [];
    const walk = (dir) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
            if (e.isDirectory()) walk(join(dir, e.name));
            else if (e.name.endsWith('.js')) files.push(join(dir, e.name));
        }
    };
    walk(src);
    const missing = [];
    let code = '';
    for (const file of files) {
        if (file.endsWith('i18n.js')) continue;
        const text = readFileSync(file, 'utf8');
        code += text;
        for (const m of text.matchAll(/\bt\('([\w.]+)'\s*[,)]/g))
            if (!(m[1] in TABLE.en)) missing.push(`${file}: ${m[1]}`);
    }
    assert.deepEqual(missing, []);
    // Keys built at run time from API values: t(`level.${level}`) and the like.
    const built = ['level.', 'status.', 'juris.', 'measure.', 'action.', 'notices.kind.'];
    const unused = Object.keys(TABLE.en).filter((k) => !code.includes(`'${k}'`) && !built.some((p) => k.startsWith(p)));
    assert.deepEqual(unused, [], 'keys no source uses');
});
