// The dashboard in a real browser (Debian's chromium, headless, driven by playwright-core)
// against a real `healthybay serve` on a free port, with the demo's data. Run by
// tests/web/test_dashboard.sh (ctest: dashboard/browser), which makes the demo directory:
//
//   HB_BIN=… HB_DEMO_DIR=… HB_ARTIFACTS=… node --test web/test/
//
// The scenario: sign in as the Hong Kong authority (a refused token first, then the
// right one by keyboard only), see the map, open a series, act on an alert (by keyboard, with
// visible focus), acknowledge a notification, switch to 繁體, download a bulletin; then the
// tablet layout. Screenshots at 1366×768 and 820×1180 go to HB_ARTIFACTS. Any console error,
// uncaught exception, Content-Security-Policy violation, failed request or unexpected HTTP error
// fails the test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

function need(name) {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run this through tests/web/test_dashboard.sh`);
    return value;
}

const HB = need('HB_BIN');
const DEMO = need('HB_DEMO_DIR');
const ARTIFACTS = need('HB_ARTIFACTS');
const CHROMIUM = process.env.HB_CHROMIUM || '/usr/bin/chromium';
const LAPTOP = { width: 1366, height: 768 };
const TABLET = { width: 820, height: 1180 };

function tokens() {
    const out = {};
    for (const line of readFileSync(join(DEMO, 'tokens.env'), 'utf8').split('\n')) {
        const m = /^([A-Z_]+)=(hb_[0-9a-f_]+)(\s|$)/.exec(line.trim());
        if (m) out[m[1]] = m[2];
    }
    return out;
}

let server;
let serverLog = '';
let base;
let browser;
const token = tokens().HK_EPIDEMIOLOGIST;
const problems = []; // everything that must not happen, with where
const allowed = new Set(); // "STATUS METHOD path" answers a step expects

// Start `healthybay serve` on a free port and wait for its "listening … port N" line.
function startServer() {
    return new Promise((resolve, reject) => {
        const db = join(DEMO, 'healthybay-demo.db');
        server = spawn(HB, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--no-schedule', '--threads', '2'], {
            stdio: ['ignore', 'ignore', 'pipe'],
        });
        const timer = setTimeout(() => reject(new Error(`the server did not start in 20 s:\n${serverLog}`)), 20000);
        server.stderr.on('data', (chunk) => {
            serverLog += chunk;
            const m = /listening on \S+ port (\d+)/.exec(serverLog);
            if (m && !base) {
                clearTimeout(timer);
                base = `http://127.0.0.1:${m[1]}`;
                resolve();
            }
        });
        server.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${serverLog}`)));
    });
}

async function api(path, init = {}) {
    const res = await fetch(`${base}/api/v1${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${token}`, ...(init.headers || {}) },
    });
    assert.ok(res.ok, `${path}: HTTP ${res.status}`);
    return res.json();
}

// A page whose every console error, exception, CSP violation and failed request is recorded.
async function newPage(viewport) {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
            console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
        );
    });
    page.on('console', (m) => {
        if (m.type() !== 'error') return;
        // Chromium itself logs every HTTP error response; one a step expects is not a problem.
        const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text());
        if (status && [...allowed].some((key) => key.startsWith(`${status[1]} `))) return;
        problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.stack || e.message}`));
    page.on('requestfailed', (r) => {
        // A download handed to the browser ends its blob: request as aborted; that is the save.
        if (!r.url().startsWith('blob:')) problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
        const key = `${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`;
        if (r.status() >= 400 && !allowed.has(key)) problems.push(`HTTP ${key}`);
    });
    return { context, page };
}

async function shot(page, name) {
    await page.waitForTimeout(300); // let ECharts finish its entry animation
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

// Press Tab until the element matching selector has the focus (at most limit presses).
async function tabTo(page, selector, limit = 40) {
    for (let i = 0; i < limit; i++) {
        if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
        await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${selector}`);
}

function nav(page, name) {
    return page.getByRole('navigation').getByRole('link', { name, exact: true });
}

async function focusIsVisible(page) {
    return page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    });
}

async function signInByKeyboard(page) {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tabTo(page, '#token');
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Situation' }).waitFor();
}

before(async () => {
    assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: install Debian's chromium (scripts/install-deps.sh)`);
    assert.ok(token, `no HK_EPIDEMIOLOGIST in ${DEMO}/tokens.env`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});

// The server stops cleanly (under AddressSanitizer a leak or an error would show in its exit).
after(async () => {
    await browser?.close();
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(code ?? signal)));
    server.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15000))]);
    assert.equal(code, 0, `healthybay serve stopped with ${code}:\n${serverLog.slice(-4000)}`);
});

test('the issue scenario on a laptop, in English then 繁體', async () => {
    const { context, page } = await newPage(LAPTOP);

    // The page is the dashboard, with its security headers.
    const index = await page.goto(`${base}/`);
    assert.equal(index.status(), 200, 'GET / (is the dashboard built into this binary? see docs/dashboard.md)');
    assert.match(index.headers()['content-security-policy'], /script-src 'self'/);

    // A wrong token is refused, with a message, and kept nowhere.
    allowed.add('401 GET /api/v1/regions');
    await page.getByLabel('Access token').fill(`hb_${'0'.repeat(16)}_${'0'.repeat(64)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The token was not accepted').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.waitForTimeout(200); // the console message of the 401 arrives after the response
    allowed.clear();

    // Sign in as the Hong Kong authority by keyboard alone.
    await signInByKeyboard(page);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('healthybay.token')), token);

    // The map: a canvas drawn with the colour of the open alerts' level (the demo has "watch"
    // alerts in Hong Kong and in Guangdong's cities), and the table of areas beside it.
    const overview = await api('/surveillance/overview');
    const alerting = overview.regions.filter((r) => r.open_alerts > 0);
    assert.ok(alerting.length > 0, 'the demo has open alerts');
    await page.locator('.map canvas').first().waitFor();
    await page.waitForTimeout(800);
    const painted = await page.evaluate(() => {
        const css = getComputedStyle(document.documentElement);
        const hex = css.getPropertyValue('--level-watch').trim();
        const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const canvas = document.querySelector('.map canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4)
            if (Math.abs(data[i] - want[0]) < 3 && Math.abs(data[i + 1] - want[1]) < 3 && Math.abs(data[i + 2] - want[2]) < 3) n++;
        return n;
    });
    assert.ok(painted > 1000, `the map shows areas at the watch level (${painted} pixels)`);
    const rows = page.locator('.overview-grid table tbody tr');
    assert.equal(await rows.count(), alerting.length, 'one row per area with open alerts');
    await shot(page, 'laptop-1-overview.png');

    // Open a series: from the alerts list, a Hong Kong alert's series.
    const alerts = (await api('/alerts?status=open')).items;
    // Cases (not imported cases): a series with Rt as well as the screening and the forecast.
    const hk = alerts.find((a) => a.jurisdiction === 'HK' && a.status === 'new' && a.measure === 'cases');
    assert.ok(hk, 'the demo has a new Hong Kong alert on cases');
    await nav(page, 'Alerts').click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const row = page.locator('table.alerts tbody tr', { has: page.getByRole('link', { name: `Alert ${hk.id}`, exact: true }) });
    await row.locator('td a').click(); // the measure links to the series
    await page.getByRole('heading', { level: 2, name: 'Effective reproduction number Rt' }).waitFor();
    await page.locator('.chart canvas').nth(1).waitFor();
    await page.getByText(/^Latest report: /).waitFor();
    await page.getByText(/^Latest Rt: /).waitFor();
    await shot(page, 'laptop-2-series.png');

    // Act on the alert by keyboard: comment, Tab to "Assess", Enter; the focus ring shows.
    await page.goto(`${base}/#/alerts/${hk.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`^Alert ${hk.id}`) }).waitFor();
    await page.locator('#alert-comment').focus();
    await page.keyboard.type('Assessed by the browser test');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Assess');
    assert.ok(await focusIsVisible(page), 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('The alert is now “Being assessed”').waitFor();
    const acted = await api(`/alerts/${hk.id}`);
    assert.equal(acted.status, 'assessing');
    assert.equal(acted.history.at(-1).comment, 'Assessed by the browser test');
    await shot(page, 'laptop-3-alert.png');

    // Acknowledge a notification.
    const inbox = (await api('/notifications')).items;
    assert.ok(inbox.length > 0, 'the Hong Kong inbox has notifications to acknowledge');
    await nav(page, 'Notifications').click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.getByRole('button', { name: `Acknowledge notification ${inbox[0].id}` }).click();
    await page.getByRole('status').getByText(`Notification ${inbox[0].id} acknowledged.`).waitFor();
    assert.ok((await api(`/notifications/${inbox[0].id}`)).acknowledged_at, 'acknowledged on the server');
    assert.equal(await page.getByRole('button', { name: /^Acknowledge notification / }).count(), inbox.length - 1);
    await shot(page, 'laptop-4-notifications.png');

    // Switch to 繁體: the interface and the names from the API change language.
    await nav(page, 'Situation').click();
    await page.getByRole('heading', { level: 1, name: 'Situation' }).waitFor();
    await page.getByLabel('Language').selectOption({ label: '繁體' });
    await page.getByRole('heading', { level: 1, name: '疫情概況' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
    await page.getByRole('link', { name: '香港特別行政區' }).waitFor();
    await page.locator('.map canvas').first().waitFor();
    await shot(page, 'laptop-5-overview-zh-Hant.png');

    // Download a bulletin (a PDF, in Traditional Chinese as the interface now is).
    await nav(page, '簡報').click();
    await page.getByRole('heading', { level: 1, name: '簡報' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^下載 .* 的簡報/ }).first().click()]);
    const pdf = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(pdf);
    assert.match(download.suggestedFilename(), /^healthybay-bulletin-\d{4}-\d{2}-\d{2}-GBA-zh-Hant\.pdf$/);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
    assert.ok(statSync(pdf).size > 10000, 'a real PDF');
    await page.getByRole('status').getByText(/的簡報。$/).waitFor();
    await shot(page, 'laptop-6-bulletins-zh-Hant.png');

    // The token went nowhere but sessionStorage and the Authorization header.
    assert.deepEqual(await context.cookies(), []);
    await page.getByRole('button', { name: '登出' }).click();
    await page.getByRole('heading', { name: '登入' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('healthybay.token')), null);
    await context.close();
    assert.deepEqual(problems, []);
});

test('readable on a tablet (820×1180)', async () => {
    const { context, page } = await newPage(TABLET); // a new context: English, signed out
    await signInByKeyboard(page);
    await page.locator('.map canvas').first().waitFor();
    // Nothing wider than the screen: no sideways scrolling.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    await shot(page, 'tablet-1-overview.png');
    await page.goto(`${base}/#/series?region=810000&disease=covid19&measure=cases`);
    await page.getByText(/^Latest Rt: /).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    await shot(page, 'tablet-2-series.png');
    await page.goto(`${base}/#/alerts`);
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    await shot(page, 'tablet-3-alerts.png');
    await context.close();
    assert.deepEqual(problems, []);
});
