// The cross-border notification inbox of the caller's authority: verified on every read by the
// server; one that does not verify shows why ("refused: …") and cannot be acknowledged.
import { get, post, query } from '../api.js';
import { h, fill } from '../dom.js';
import { t, when } from '../i18n.js';
import { table, announce, errorBox } from '../shared.js';

function kindName(kind) {
    const text = t(`notices.kind.${kind}`);
    return text === `notices.kind.${kind}` ? kind : text;
}

export async function showNotifications(main, params) {
    const all = params.get('all') === '1';
    const data = await get(`/notifications${query({ all: all ? '1' : '' })}`);
    const toggle = h('input', { type: 'checkbox', id: 'show-all', checked: all });
    toggle.addEventListener('change', () => {
        location.hash = `#/notifications${query({ all: toggle.checked ? '1' : '' })}`;
    });
    const message = h('div', { class: 'action-result' });
    const ack = async (n, button) => {
        button.disabled = true;
        try {
            await post(`/notifications/${n.id}/ack`);
            await showNotifications(main, params);
            announce(t('notices.done', { id: n.id }));
            main.querySelector('h1')?.focus();
        } catch (err) {
            button.disabled = false;
            fill(message, errorBox(err));
        }
    };
    const rows = data.items.map((n) => {
        const verified = n.status === 'verified';
        let cell;
        if (n.acknowledged_at) cell = `${when(n.acknowledged_at)} (${n.acknowledged_by})`;
        else if (verified) {
            const button = h('button', { type: 'button', 'aria-label': t('notices.ack_named', { id: n.id }) }, t('notices.ack'));
            button.addEventListener('click', () => ack(n, button));
            cell = button;
        } else cell = '—';
        return [
            n.subject,
            t(`juris.${n.from}`),
            kindName(n.kind),
            when(n.created_at),
            verified ? t('notices.verified') : h('span', { class: 'error' }, n.status),
            cell,
        ];
    });
    fill(
        main,
        h('h1', { tabindex: '-1' }, t('notices.title')),
        h('p', {}, t('notices.intro')),
        h('div', { class: 'field inline' }, toggle, h('label', { for: 'show-all' }, t('notices.all'))),
        message,
        rows.length
            ? table(null, [t('col.subject'), t('col.from'), t('col.kind'), t('col.received'), t('col.check'), t('col.ack')], rows, {
                  class: 'notices',
                  rowHeader: true,
              })
            : h('p', {}, t('notices.empty')),
    );
}
