// The one place that holds the signed-in user's bearer token: in this module's
// memory only, never in localStorage or sessionStorage, so it is gone when the
// tab closes. Everything else asks here for the Authorization header.

type Listener = () => void;

let token: string | null = null;
let expiresAt: number | null = null;
let signOutHook: (() => void) | null = null;
const listeners = new Set<Listener>();

function notify(): void {
  for (const listener of listeners) listener();
}

export const session = {
  signIn(bearer: string, expires: Date | null, onSignOut?: () => void): void {
    token = bearer;
    expiresAt = expires ? expires.getTime() : null;
    signOutHook = onSignOut ?? null;
    notify();
  },
  signOut(): void {
    const hook = signOutHook;
    token = null;
    expiresAt = null;
    signOutHook = null;
    hook?.();
    notify();
  },
  get signedIn(): boolean {
    return token !== null && (expiresAt === null || Date.now() < expiresAt);
  },
  authorization(): string | null {
    return this.signedIn ? `Bearer ${token}` : null;
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
