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
