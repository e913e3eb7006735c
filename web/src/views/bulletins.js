// Bulletins: one per finished daily run, downloaded as PDF for a jurisdiction (or the whole
// Greater Bay Area) in a language. The PDF needs the bearer token, so it is fetched and handed
// to the browser as a download of an object URL; the token never appears in a link.
import { blob, get, query } from '../api.js';
import { h, fill } from '../dom.js';
import { LANGS, lang, t, num } from '../i18n.js';
import { table, announce, errorBox } from '../shared.js';

const SCOPES = ['GBA', 'GD', 'HK', 'MO'];

function save(data, name) {
    const url = URL.createObjectURL(data);
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function showBulletins(main) {
    const data = await get('/bulletins');
    const scope = h('select', { id: 'bulletin-scope' }, SCOPES.map((s) => h('option', { value: s }, t(`juris.${s}`))));
    const language = h(
        'select',
        { id: 'bulletin-lang' },
        LANGS.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === lang() }, l.label)),
    );
    const message = h('div', { class: 'action-result' });
    const download = async (date, button) => {
        button.disabled = true;
        fill(message);
        try {
            const path = `/bulletins/${date}${query({ jurisdiction: scope.value, lang: language.value, format: 'pdf' })}`;
            save(await blob(path, 'application/pdf'), `healthybay-bulletin-${date}-${scope.value}-${language.value}.pdf`);
            announce(t('bulletins.downloaded', { date }));
        } catch (err) {
            fill(message, errorBox(err));
        } finally {
            button.disabled = false;
        }
    };
    const rows = data.items.map((b) => {
        const button = h('button', { type: 'button', 'aria-label': t('bulletins.download_named', { date: b.date }) }, t('bulletins.download'));
        button.addEventListener('click', () => download(b.date, button));
        return [b.date, num(b.series_screened), num(b.signals), num(b.alerts_raised), button];
    });
    fill(
        main,
        h('h1', { tabindex: '-1' }, t('bulletins.title')),
        h('p', {}, t('bulletins.intro')),
        h(
            'div',
            { class: 'picker' },
            h('div', { class: 'field' }, h('label', { for: 'bulletin-scope' }, t('bulletins.jurisdiction')), scope),
            h('div', { class: 'field' }, h('label', { for: 'bulletin-lang' }, t('bulletins.lang')), language),
        ),
        message,
        rows.length
            ? table(null, [t('col.date'), t('col.screened'), t('col.signals'), t('col.raised'), t('bulletins.download')], rows, {
                  class: 'bulletins',
                  rowHeader: true,
              })
            : h('p', {}, t('bulletins.empty')),
    );
}
