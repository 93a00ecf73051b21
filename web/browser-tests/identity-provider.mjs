// A stand-in for an organisation's OpenID Connect provider, on loopback, for the
// browser test of the workspace's sign-in: discovery, the authorization endpoint
// (it signs the one test user in at once), the token endpoint (authorization code
// with PKCE, S256, each code used once) and the key set the server verifies the
// access token with. Tokens are RS256 JWTs carrying Waymark's claims.
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const base64url = (data) => Buffer.from(data).toString('base64url');

function jwt(privateKey, kid, claims) {
  const signed = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signed).sign(privateKey);
  return `${signed}.${base64url(signature)}`;
}

async function formOf(request) {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('token request too large');
  }
  return new URLSearchParams(body);
}

/** Starts the provider; `user` holds the claims its tokens give (sub, role, organisation_id). */
export async function startIdentityProvider({ clientId, audience = 'waymark', user }) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'browser-test-key';
  const key = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  const codes = new Map();
  /** What the workspace sent, for the test to check. */
  const seen = { authorizations: [], tokenRequests: [], refusals: [] };
  let issuer = '';

  const server = createServer((request, response) => {
    // A malformed request is a 400 from the provider, never a crash of the test.
    answerRequest(request, response).catch((error) => {
      seen.refusals.push(`invalid_request: ${error.message}`);
      if (!response.headersSent) response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_request' }));
    });
  });

  async function answerRequest(request, response) {
    const url = new URL(request.url, issuer);
    // The workspace calls discovery and the token endpoint from its own origin.
    response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    const json = (status, body) => {
      response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const refuse = (status, error) => {
      seen.refusals.push(error);
      json(status, { error });
    };
    if (request.method === 'OPTIONS') {
      response.writeHead(204);
      response.end();
      return;
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [key] });
    if (url.pathname === '/authorize') {
      const asked = Object.fromEntries(url.searchParams);
      seen.authorizations.push(asked);
      if (asked.client_id !== clientId) return refuse(400, 'unauthorized_client');
      if (asked.response_type !== 'code') return refuse(400, 'unsupported_response_type');
      if (asked.code_challenge_method !== 'S256' || !asked.code_challenge) return refuse(400, 'invalid_request: PKCE S256 required');
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: asked.code_challenge, redirectUri: asked.redirect_uri, nonce: asked.nonce });
      const back = new URL(asked.redirect_uri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', asked.state ?? '');
      response.writeHead(302, { Location: back.toString() });
      response.end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = await formOf(request);
      const sent = Object.fromEntries(form);
      seen.tokenRequests.push(sent);
      const grant = codes.get(sent.code ?? '');
      codes.delete(sent.code ?? ''); // a code is good once
      if (sent.grant_type !== 'authorization_code' || !grant) return refuse(400, 'invalid_grant');
      if (sent.client_id !== clientId || sent.redirect_uri !== grant.redirectUri) return refuse(400, 'invalid_client');
      const challenge = createHash('sha256').update(sent.code_verifier ?? '').digest('base64url');
      if (challenge !== grant.challenge) return refuse(400, 'invalid_grant: code_verifier does not match');
      const now = Math.floor(Date.now() / 1000);
      const lifetime = 600;
      return json(200, {
        token_type: 'Bearer',
        expires_in: lifetime,
        scope: 'openid profile',
        access_token: jwt(privateKey, kid, { iss: issuer, aud: audience, iat: now, exp: now + lifetime, ...user }),
        id_token: jwt(privateKey, kid, {
          iss: issuer, aud: clientId, sub: user.sub, iat: now, exp: now + lifetime, ...(grant.nonce ? { nonce: grant.nonce } : {}),
        }),
      });
    }
    return json(404, { error: 'not_found' });
  }
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return {
    issuer,
    seen,
    stop: () => new Promise((done) => server.close(done)),
  };
}
