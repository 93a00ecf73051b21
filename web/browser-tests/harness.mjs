// The browser tests' harness: the real server on SQLite with the demo, Debian's
// chromium driven by playwright-core, the server's own CSP checked on every
// page, axe-core in the page, and screenshots as artefacts.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repository = resolve(here, '..', '..');
export const artefacts = resolve(here, '..', 'test-artifacts');
const axeSource = readFileSync(resolve(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** What every page's policy must say (api/security_headers.py): scripts from the server alone. */
const SCRIPTS_FROM_THE_SERVER_ONLY = "script-src 'self';";

function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** The server as the browser tests and benchmark use it; `settings` adds WAYMARK_*
 *  variables. It is ready once its caseload view holds the demo (read with a demo
 *  token, so not where the settings name an identity provider instead). */
export async function startServer(settings = {}) {
  const workdir = mkdtempSync(join(tmpdir(), 'waymark-browser-'));
  const port = await freePort();
  const env = {
    ...process.env,
    WAYMARK_DATABASE_URL: '', // the default: waymark.db in the working directory
    WAYMARK_TOKEN_SECRET: 'browser-tests-secret-'.padEnd(48, 'x'),
    WAYMARK_GRAPHIQL: 'yes',
    WAYMARK_PROJECTION_POLL_SECONDS: '0.05',
    ...settings,
  };
  const child = spawn(join(repository, '.venv', 'bin', 'waymark'), ['serve', '--demo', '--port', String(port)], {
    cwd: workdir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server stopped:\n${log}`);
    try {
      const ready = await fetch(`${url}/readyz`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 120_000) throw new Error(`the server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!settings.WAYMARK_OIDC_ISSUER) await warmUp(url);
  return {
    url,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/** Waits until the views have caught up with the demo (the caseload and the evaluation answer). */
async function warmUp(url) {
  const { token } = await (await fetch(`${url}/workspace/demo-token`, { method: 'POST', body: '{"user":"manager"}' })).json();
  const ask = async (query) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    });
    return (await response.json()).data;
  };
  const started = Date.now();
  while (Date.now() - started < 120_000) {
    const data = await ask('{ caseload { __typename ... on Caseload { cases { caseId } } } }');
    if (data?.caseload?.cases?.length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the caseload view did not catch up with the demo');
}

/** Debian's chromium; playwright gives it a fresh profile of its own. */
export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.WAYMARK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return browser;
}

/** A fresh page under the CSP the server sends; CSP violations, page errors and a
 *  page served without the policy are collected. */
export async function newPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  context.setDefaultTimeout(60_000); // the machine may be busy with other test runs
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(message.text().slice(0, 300));
  });
  page.on('pageerror', (error) => problems.push(String(error).slice(0, 300)));
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'document' || !response.url().startsWith(url)) return;
    const policy = response.headers()['content-security-policy'] ?? '';
    if (!policy.includes(SCRIPTS_FROM_THE_SERVER_ONLY)) problems.push(`${response.url()} was served without the CSP: ${policy}`);
  });
  return { page, context, problems };
}

export async function signInAs(page, url, user) {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: user.charAt(0).toUpperCase() + user.slice(1), exact: true }).click();
  await page.getByText(/ · (advocate|counsel|manager|evaluator)/).waitFor();
}

/** axe-core's serious and critical violations on the page as it stands. */
export async function seriousViolations(page) {
  await page.evaluate(axeSource); // through the devtools protocol: the CSP allows no inline script
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const run = await window.axe.run(document, { resultTypes: ['violations'] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page, name) {
  mkdirSync(artefacts, { recursive: true });
  await page.screenshot({ path: join(artefacts, `${name}.png`), fullPage: true });
}
