// The dashboard: sign-in, then one view per hash route (#/overview, #/series?…, #/alerts,
// #/alerts/ID, #/notifications, #/bulletins). Hash routes keep every address on index.html, so
// the server serves one document and a fixed set of assets.
import './style.css';
import { clearToken, token, whenUnauthorized } from './api.js';
import { h, fill } from './dom.js';
import { LANGS, initLang, lang, setLang, t } from './i18n.js';
import { errorBox, forgetReference, loadReference, ref, setStatusElement } from './shared.js';
import { showSignin } from './views/signin.js';
import { showOverview } from './views/overview.js';
import { showSeries } from './views/series.js';
import { showAlerts, showAlert } from './views/alerts.js';
import { showNotifications } from './views/notifications.js';
import { showBulletins } from './views/bulletins.js';

const NAV = [
    ['overview', 'nav.overview'],
    ['series', 'nav.series'],
    ['alerts', 'nav.alerts'],
    ['notifications', 'nav.notifications'],
    ['bulletins', 'nav.bulletins'],
];

const app = document.getElementById('app');
let main;

function route() {
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, q] = hash.split('?');
    const parts = path.split('/').filter(Boolean);
    return { name: parts[0] || 'overview', arg: parts[1], params: new URLSearchParams(q || '') };
}

function header(current) {
    const select = h(
        'select',
        { id: 'lang', 'aria-label': t('lang.label') },
        LANGS.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === lang() }, l.label)),
    );
    select.addEventListener('change', () => {
        setLang(select.value);
        render();
        document.getElementById('lang')?.focus();
    });
    return h(
        'header',
        { class: 'top' },
        h('a', { class: 'skip', href: '#main', onclick: skipToMain }, t('skip')),
        h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), t('app.title')),
        h(
            'nav',
            { 'aria-label': t('nav.label') },
            h(
                'ul',
                {},
                NAV.map(([name, key]) =>
                    h('li', {}, h('a', { href: `#/${name}`, 'aria-current': current === name ? 'page' : null }, t(key))),
                ),
            ),
        ),
        h(
            'div',
            { class: 'tools' },
            h('label', { for: 'lang', class: 'visually-hidden' }, t('lang.label')),
            select,
            h('button', { type: 'button', class: 'secondary', onclick: signOut }, t('signout')),
        ),
    );
}

// The skip link moves focus without changing the hash (the hash is the route).
function skipToMain(event) {
    event.preventDefault();
    document.getElementById('main')?.focus();
}

function signOut() {
    clearToken();
    forgetReference();
    location.hash = '#/overview';
    render();
}

let renderCount = 0;

async function render() {
    document.title = t('app.title');
    const r = route();
    if (!token()) {
        fill(app, showSignin(signedIn));
        return;
    }
    const mine = ++renderCount;
    const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    setStatusElement(status);
    main = h('main', { id: 'main', tabindex: '-1' }, h('p', { class: 'loading' }, t('loading')));
    fill(app, header(r.name), main, status);
    try {
        if (!ref.regions.length) await loadReference();
    } catch (err) {
        if (mine === renderCount && token()) fill(main, errorBox(err));
        return;
    }
    if (mine !== renderCount) return; // a newer navigation took over
    const views = {
        overview: () => showOverview(main),
        series: () => showSeries(main, r.params),
        alerts: () => (r.arg ? showAlert(main, r.arg) : showAlerts(main, r.params)),
        notifications: () => showNotifications(main, r.params),
        bulletins: () => showBulletins(main),
    };
    const view = views[r.name];
    if (!view) {
        fill(main, h('h1', { tabindex: '-1' }, t('error.notfound')));
        return;
    }
    try {
        await view();
    } catch (err) {
        if (mine === renderCount && token()) fill(main, errorBox(err));
    }
}

// After a navigation the view's heading takes the focus, so keyboard and screen-reader users
// start at the new content; the first render leaves focus where the browser put it.
let navigated = false;
function focusHeading() {
    if (!navigated) return;
    main?.querySelector('h1')?.focus();
}

function signedIn() {
    navigated = true;
    render().then(focusHeading);
}

whenUnauthorized(() => {
    if (!token()) return;
    clearToken();
    forgetReference();
    render().then(() => {
        const box = document.querySelector('.signin .notice');
        if (box) box.textContent = t('signin.expired');
    });
});

window.addEventListener('hashchange', () => {
    navigated = true;
    render().then(focusHeading);
});

initLang();
render();
