import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './auth/config';
import { finishSignIn } from './auth/oidc';
import './styles.css';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  try {
    const config = await loadConfig();
    if (config.oidc) await finishSignIn(config.oidc);
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  } catch (error) {
    root.render(<main id="main"><p className="form-error" role="alert">Waymark could not start: {(error as Error).message}</p></main>);
  }
}

void start();
