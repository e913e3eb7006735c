// The API client. The bearer token lives in sessionStorage only: never in a cookie (so no other
// site can make the browser send it), never in a URL (so it is in no history, log or Referer),
// and never written to the console. It is gone when the tab is closed or on sign-out.
const KEY = 'healthybay.token';

export function token() {
    return sessionStorage.getItem(KEY);
}

export function setToken(value) {
    sessionStorage.setItem(KEY, value);
}

export function clearToken() {
    sessionStorage.removeItem(KEY);
}

// An API error: status plus the RFC 9457 problem document (title, detail, errors…).
export class ApiError extends Error {
    constructor(status, problem) {
        super(problem.detail || problem.title || `HTTP ${status}`);
        this.status = status;
        this.problem = problem;
    }
}

let onUnauthorized = () => {};

// Called when the server stops accepting the token (expired or revoked meanwhile).
export function whenUnauthorized(fn) {
    onUnauthorized = fn;
}

async function send(path, { method = 'GET', body, accept = 'application/json', signingIn = false } = {}) {
    const headers = { Accept: accept, Authorization: `Bearer ${token() || ''}` };
    const init = { method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
    // A retried click must not act twice: the server replays the first answer to a key.
    if (method === 'POST') headers['Idempotency-Key'] = crypto.randomUUID();
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
    }
    let res;
    try {
        res = await fetch(`/api/v1${path}`, init);
    } catch {
        throw new ApiError(0, { title: 'network' });
    }
    if (!res.ok) {
        let problem;
        try {
            problem = await res.json();
        } catch {
            problem = { title: res.statusText };
        }
        const err = new ApiError(res.status, problem);
        if (res.status === 401 && !signingIn) onUnauthorized(err);
        throw err;
    }
    return res;
}

export async function get(path) {
    return (await send(path)).json();
}

// Is the token just entered accepted? (A 401 here is a refused sign-in, not an expired session.)
export async function checkToken() {
    await send('/regions', { signingIn: true });
}

export async function post(path, body) {
    return (await send(path, { method: 'POST', body })).json();
}

export async function blob(path, accept) {
    return (await send(path, { accept })).blob();
}

// "?a=1&b=2" from an object, leaving out empty values.
export function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
}
