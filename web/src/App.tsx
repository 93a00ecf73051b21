import { useEffect, useSyncExternalStore } from 'react';
import { useQuery } from './api/useQuery';
import type { WorkspaceConfig } from './auth/config';
import { SignIn } from './auth/SignIn';
import { Link } from './components/Link';
import { ViewerDocument } from './gql/graphql';
import { OutboxProvider } from './outbox/context';
import { CaseloadPage } from './pages/CaseloadPage';
import { CasePage } from './pages/CasePage';
import { CounselPage, purposeOfPath } from './pages/CounselPage';
import { EvaluationPage } from './pages/EvaluationPage';
import { ManagerPage } from './pages/ManagerPage';
import { SharedChronologyPage } from './pages/SharedChronologyPage';
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
  administrator: [],
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
  if (role === 'counsel') {
    const shared = match('/shared/:id/:purpose', path);
    const purpose = shared?.purpose ? purposeOfPath(shared.purpose) : null;
    if (shared?.id && purpose) return <SharedChronologyPage key={path} caseId={shared.id} purpose={purpose} />;
    return path === '/' ? <CounselPage /> : <NotHere />;
  }
  if (role === 'evaluator') return path === '/' || path === '/evaluation' ? <EvaluationPage /> : <NotHere />;
  if (role === 'administrator') return <AdministratorPage />;
  const caseRoute = match('/cases/:id', path);
  if (caseRoute?.id) return <CasePage key={caseRoute.id} caseId={caseRoute.id} subject={subject} mayHandOver={role === 'manager'} />;
  if (path === '/organisation' && role === 'manager') return <ManagerPage />;
  if (path === '/') return <CaseloadPage subject={subject} />;
  return <NotHere />;
}

/** Administrators read anyone's audit trail through the API and look after the
 *  keys with `waymark keys`; they see no case content, so the workspace offers
 *  them no case page. */
function AdministratorPage() {
  return (
    <main id="main">
      <h1>Administration</h1>
      <p>
        An administrator reads a person's audit trail with the GraphQL query <code>auditTrail(subject:)</code> and
        looks after the encryption keys with <code>waymark keys</code>. No case content is shown to this role.
      </p>
    </main>
  );
}

function NotHere() {
  return (
    <main id="main">
      <h1>Not here</h1>
      <p>There is nothing at this address for your role. <Link to="/">Back to the start</Link>.</p>
    </main>
  );
}
