// GraphiQL, bundled from the graphiql package as its own entry (no CDN), so it
// never weighs on the workspace's pages. Tokens go in its Headers pane.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import './graphiql.css';

type Params = { query: string; variables?: unknown; operationName?: string | null };

async function fetcher(params: Params, options?: { headers?: Record<string, unknown> }) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
  const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
  return response.json();
}

const HEADERS = '{\n  "Authorization": "Bearer paste a token here (waymark token --role advocate --organisation org-north)"\n}';

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={HEADERS} defaultEditorToolsVisibility="headers" />,
);
