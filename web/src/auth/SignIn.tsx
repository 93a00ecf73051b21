import { useState } from 'react';
import { session } from '../session/session';
import type { WorkspaceConfig } from './config';
import { startSignIn } from './oidc';

async function signInAsDemoUser(key: string): Promise<void> {
  const response = await fetch('/workspace/demo-token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: key }),
  });
  if (!response.ok) throw new Error(`Demo sign-in refused (${response.status}).`);
  const body = (await response.json()) as { token: string; expiresAt: string };
  session.signIn(body.token, new Date(body.expiresAt));
}

export function SignIn({ config }: { config: WorkspaceConfig }) {
  const [error, setError] = useState<string | null>(null);
  const run = (work: () => Promise<void>) => () => {
    setError(null);
    work().catch((e: unknown) => setError((e as Error).message));
  };
  return (
    <main className="sign-in" id="main">
      <h1>Waymark</h1>
      <p>The case journey record for independent modern slavery advocates.</p>
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      {config.demo ? (
        <section aria-labelledby="demo-heading">
          <h2 id="demo-heading">Sign in to the demo as</h2>
          <p>Everything in the demo is synthetic and pseudonymous.</p>
          <ul className="demo-users">
            {config.demo.users.map((user) => (
              <li key={user.key}>
                <button type="button" onClick={run(() => signInAsDemoUser(user.key))}>
                  {user.key.charAt(0).toUpperCase() + user.key.slice(1)}
                </button>
                <span>{user.subject}{user.organisationId ? `, ${user.organisationId}` : ''}: {user.description}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {config.oidc ? (
        <p>
          <button type="button" onClick={run(() => startSignIn(config.oidc!))}>Sign in with your organisation</button>
        </p>
      ) : null}
      {!config.demo && !config.oidc ? (
        <p className="form-error">No sign-in is configured: set WAYMARK_OIDC_ISSUER and WAYMARK_OIDC_CLIENT_ID, or serve the demo.</p>
      ) : null}
    </main>
  );
}
