// Sign-in: an access token, checked against the API before it is kept (sessionStorage only).
import { checkToken, clearToken, setToken } from '../api.js';
import { h } from '../dom.js';
import { LANGS, lang, setLang, t } from '../i18n.js';
import { problemText } from '../shared.js';

export function showSignin(done) {
    const input = h('input', {
        id: 'token',
        name: 'token',
        type: 'password',
        autocomplete: 'off',
        spellcheck: 'false',
        required: true,
        'aria-describedby': 'signin-intro',
    });
    const notice = h('p', { class: 'notice', role: 'alert' });
    const button = h('button', { type: 'submit' }, t('signin.submit'));
    const form = h(
        'form',
        { class: 'signin-form', novalidate: true },
        h('label', { for: 'token' }, t('signin.token')),
        input,
        button,
    );
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (!value) {
            notice.textContent = t('signin.empty');
            input.focus();
            return;
        }
        button.disabled = true;
        setToken(value);
        try {
            await checkToken();
            input.value = '';
            done();
        } catch (err) {
            clearToken();
            notice.textContent = err.status === 401 ? t('signin.rejected') : problemText(err);
            button.disabled = false;
            input.select();
            input.focus();
        }
    });
    const langSelect = h(
        'select',
        { id: 'lang', 'aria-label': t('lang.label') },
        LANGS.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === lang() }, l.label)),
    );
    const page = h(
        'main',
        { id: 'main', class: 'signin', tabindex: '-1' },
        h('div', { class: 'signin-lang' }, langSelect),
        h('h1', {}, h('span', { class: 'logo', 'aria-hidden': 'true' }), t('app.title')),
        h('h2', {}, t('signin.title')),
        h('p', { id: 'signin-intro' }, t('signin.intro')),
        form,
        notice,
    );
    langSelect.addEventListener('change', () => {
        setLang(langSelect.value);
        const fresh = showSignin(done);
        page.replaceWith(fresh);
        fresh.querySelector('#lang').focus();
    });
    return page;
}
