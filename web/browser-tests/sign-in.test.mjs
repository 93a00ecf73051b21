// Signing in with the organisation's identity provider (OpenID Connect,
// authorization code with PKCE), against a stand-in provider on loopback and the
// real server trusting it by discovery, under the CSP the server sends.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, newPage, screenshot, seriousViolations, startServer } from './harness.mjs';
import { startIdentityProvider } from './identity-provider.mjs';

const CLIENT = 'waymark-workspace';
const USER = { sub: 'adv-north-21', role: 'advocate', organisation_id: 'org-north' };

let provider;
let server;
let browser;

before(async () => {
  provider = await startIdentityProvider({ clientId: CLIENT, user: USER });
  server = await startServer({
    WAYMARK_OIDC_ISSUER: provider.issuer,
    WAYMARK_OIDC_CLIENT_ID: CLIENT,
    WAYMARK_TOKEN_ISSUER: provider.issuer,
    WAYMARK_TOKEN_DISCOVERY: 'yes',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

test('an advocate signs in with their organisation’s provider; the token stays in memory', async () => {
  const { page, problems, context } = await newPage(browser, server.url);
  await page.goto(`${server.url}/`);
  const signIn = page.getByRole('button', { name: 'Sign in with your organisation' });
  await signIn.waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Sign in to the demo as' }).count(), 0, 'no demo sign-in beside a provider');
  await signIn.click();
  await page.getByText(`${USER.sub} · advocate · ${USER.organisation_id}`).waitFor();
  await page.locator('table.caseload').waitFor();
  assert.equal(new URL(page.url()).search, '', 'the code and state are cleared from the address');
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, 'oidc-signed-in');

  const [authorization] = provider.seen.authorizations;
  assert.equal(authorization.code_challenge_method, 'S256');
  assert.equal(authorization.redirect_uri, `${server.url}/`);
  assert.equal(provider.seen.tokenRequests.length, 1);
  assert.ok(provider.seen.tokenRequests[0].code_verifier, 'the token request proves the PKCE verifier');
  assert.deepEqual(provider.seen.refusals, []);

  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  assert.ok(!/eyJ[\w-]+\.eyJ/.test(stored), `no token in web storage: ${stored.slice(0, 200)}`);
  await page.reload();
  await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
