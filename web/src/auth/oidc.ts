import { session } from '../session/session';
import type { WorkspaceConfig } from './config';

// OpenID Connect, authorization code with PKCE. The tokens stay in memory (an
// in-memory user store); only the short-lived sign-in state (PKCE verifier and
// state) is kept in sessionStorage so it survives the redirect to the provider.

type Provider = NonNullable<WorkspaceConfig['oidc']>;

async function manager(provider: Provider) {
  const { UserManager, WebStorageStateStore, InMemoryWebStorage } = await import('oidc-client-ts');
  return new UserManager({
    authority: provider.issuer,
    client_id: provider.clientId,
    redirect_uri: `${window.location.origin}/`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code',
    scope: 'openid profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

export async function startSignIn(provider: Provider): Promise<void> {
  await (await manager(provider)).signinRedirect();
}

/** Completes a sign-in when the provider has sent the browser back with a code. */
export async function finishSignIn(provider: Provider): Promise<boolean> {
  const query = new URLSearchParams(window.location.search);
  if (!query.has('code') || !query.has('state')) return false;
  const users = await manager(provider);
  const user = await users.signinRedirectCallback();
  window.history.replaceState(null, '', '/');
  session.signIn(user.access_token, user.expires_at ? new Date(user.expires_at * 1000) : null);
  return true;
}
