import type { TypedDocumentString } from '../gql/graphql';
import { session } from '../session/session';

/** The server did not answer: the connection dropped, or it is down. */
export class Offline extends Error {
  constructor() {
    super('The server does not answer; check the connection.');
    this.name = 'Offline';
  }
}

/** The server refused the token (expired or signed out). */
export class Unauthenticated extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unauthenticated';
  }
}

type GraphQLResponse<R> = { data?: R; errors?: { message: string }[] };

/** Runs one typed operation against /graphql with the session's token. */
export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  signal?: AbortSignal,
): Promise<R> {
  const authorization = session.authorization();
  if (!authorization) throw new Unauthenticated('Sign in first.');
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: authorization },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Offline();
  }
  if (response.status === 401) {
    const body = (await response.json().catch(() => ({}))) as GraphQLResponse<R>;
    const reason = body.errors?.[0]?.message ?? 'signed out';
    session.signOut();
    throw new Unauthenticated(reason);
  }
  if (response.status >= 502) throw new Offline();
  const body = (await response.json()) as GraphQLResponse<R>;
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`The server answered ${response.status} with no data.`);
  return body.data;
}

/** The file name a Content-Disposition header gives (its UTF-8 form first). */
export function attachmentName(header: string | null): string | null {
  if (!header) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded?.[1]) {
    try {
      return decodeURIComponent(encoded[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]*)"/i.exec(header)?.[1] ?? null;
}

/** Fetches a file the API offers (an export) with the session's token, which
 *  a plain link cannot carry, and hands it to the browser as a download.
 *  Returns the file's name; throws the API's refusal as an Error. */
export async function download(path: string, fallbackName: string): Promise<string> {
  const authorization = session.authorization();
  if (!authorization) throw new Unauthenticated('Sign in first.');
  let response: Response;
  try {
    response = await fetch(path, { headers: { Authorization: authorization } });
  } catch {
    throw new Offline();
  }
  if (response.status === 401) {
    session.signOut();
    throw new Unauthenticated('signed out');
  }
  if (response.status >= 502) throw new Offline();
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `The server answered ${response.status}.`);
  }
  const name = attachmentName(response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked once the browser has surely read it: a large PDF takes a moment.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
