import { useEffect, useSyncExternalStore } from 'react';
import { useQuery } from './api/useQuery';
import type { WorkspaceConfig } from './auth/config';
import { SignIn } from './auth/SignIn';
import { Link } from './components/Link';
import { ViewerDocument } from './gql/graphql';
import { OutboxProvider } from './outbox/context';
import { CaseloadPage } from './pages/CaseloadPage';
import { CasePage } from './pages/CasePage';
import { CounselPage } from './pages/CounselPage';
import { EvaluationPage } from './pages/EvaluationPage';
import { ManagerPage } from './pages/ManagerPage';
import { match, navigate, usePath } from './router';
import { session } from './session/session';

export function App({ config }: { config: WorkspaceConfig }) {
  const signedIn = useSyncExternalStore(session.subscribe, () => session.signedIn);
  if (!signedIn) return <SignIn config={config} />;
  return <Workspace config={config} />;
}

type Role = 'advocate' | 'manager' | 'counsel' | 'evaluator' | 'administrator';

/** What each role's navigation offers: nothing the API would refuse it. */
const NAVIGATION: Record<Role, { to: string; label: string }[]> = {
  advocate: [{ to: '/', label: 'Caseload' }],
  manager: [{ to: '/', label: 'Caseload' }, { to: '/organisation', label: 'Organisation overview' }],
  administrator: [{ to: '/', label: 'Caseload' }, { to: '/organisation', label: 'Organisation overview' }, { to: '/evaluation', label: 'Evaluation' }],
  counsel: [{ to: '/', label: 'Chronologies' }],
  evaluator: [{ to: '/', label: 'Evaluation' }],
};

function Workspace({ config }: { config: WorkspaceConfig }) {
  const path = usePath();
  const { data, error } = useQuery(ViewerDocument, {});
  useEffect(() => {
    document.title = 'Waymark';
  }, []);
  if (error) return <main id="main"><p className="form-error" role="alert">{error.message}</p></main>;
  if (!data) return <main id="main"><p>Signing in…</p></main>;
  const viewer = data.viewer;
  const role = viewer.role as Role;
  return (
    <OutboxProvider>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top no-print">
        <span className="brand">Waymark</span>
        <nav aria-label="Workspace">
          <ul>
            {(NAVIGATION[role] ?? []).map((item) => (
              <li key={item.to}><Link to={item.to} className={path === item.to ? 'current' : ''}>{item.label}</Link></li>
            ))}
            {config.graphiql ? <li><a href="/graphiql">GraphiQL</a></li> : null}
          </ul>
        </nav>
        <span className="who">{viewer.subject} · {viewer.role}{viewer.organisationId ? ` · ${viewer.organisationId}` : ''}</span>
        <button type="button" className="secondary" onClick={() => { session.signOut(); navigate('/'); }}>Sign out</button>
      </header>
      <Page role={role} path={path} subject={viewer.subject} />
    </OutboxProvider>
  );
}

function Page({ role, path, subject }: { role: Role; path: string; subject: string }) {
  const caseRoute = match('/cases/:id', path);
  const reads = role === 'advocate' || role === 'manager' || role === 'administrator' || role === 'counsel';
  if (caseRoute?.id && reads) return <CasePage key={caseRoute.id} caseId={caseRoute.id} mayChange={role !== 'counsel'} />;
  if (role === 'evaluator') return path === '/' || path === '/evaluation' ? <EvaluationPage /> : <NotHere />;
  if (role === 'counsel') return path === '/' ? <CounselPage /> : <NotHere />;
  if (path === '/organisation' && role !== 'advocate') return <ManagerPage />;
  if (path === '/evaluation' && role === 'administrator') return <EvaluationPage />;
  if (path === '/') return <CaseloadPage subject={subject} />;
  return <NotHere />;
}

function NotHere() {
  return (
    <main id="main">
      <h1>Not here</h1>
      <p>There is nothing at this address for your role. <Link to="/">Back to the start</Link>.</p>
    </main>
  );
}
