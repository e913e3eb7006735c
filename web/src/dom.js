// A small element builder: every text goes in as a text node, never as HTML, so nothing the API
// returns can become markup (and the Content-Security-Policy needs no inline anything).

// h('button', {class: 'x', onclick: fn, 'aria-label': …}, 'text', child, …)
export function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
        if (value === undefined || value === null || value === false) continue;
        if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
        else if (key === 'value') el.value = value;
        else el.setAttribute(key, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children) {
        if (child === undefined || child === null || child === false) continue;
        if (Array.isArray(child)) append(el, child);
        else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

// Replace el's content.
export function fill(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}
