/** What /workspace-config.json tells the page about signing in. */
export type DemoUser = {
  key: string;
  role: string;
  subject: string;
  organisationId: string | null;
  description: string;
};

export type WorkspaceConfig = {
  demo: { users: DemoUser[] } | null;
  oidc: { issuer: string; clientId: string } | null;
  graphiql: boolean;
};

export async function loadConfig(): Promise<WorkspaceConfig> {
  const response = await fetch('/workspace-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`The server answered ${response.status} for its settings.`);
  return (await response.json()) as WorkspaceConfig;
}
