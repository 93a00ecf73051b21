import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Offline, request } from '../api/client';
import { RecordStepDocument } from '../gql/graphql';
import { describePending, Outbox, type Pending } from './outbox';

type Sent = { caseId: string; position: number; at: number };

const OutboxContext = createContext<{ outbox: Outbox; lastSent: Sent | null } | null>(null);

export function OutboxProvider({ children }: { children: ReactNode }) {
  const [lastSent, setLastSent] = useState<Sent | null>(null);
  const [outbox] = useState(
    () =>
      new Outbox(
        async (input) => (await request(RecordStepDocument, { input })).recordStep,
        (error) => error instanceof Offline,
        (caseId, answer) => {
          if ('position' in answer) setLastSent({ caseId, position: answer.position, at: Date.now() });
        },
      ),
  );
  useEffect(() => {
    const flush = () => void outbox.flush();
    // The outbox lives in this tab's memory (a survivor's step is never written
    // to the browser's storage): leaving the page would lose what waits in it,
    // so the browser asks first.
    const warn = (event: BeforeUnloadEvent) => {
      if (outbox.pending.length === 0) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('online', flush);
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('online', flush);
      window.removeEventListener('beforeunload', warn);
      outbox.stop();
    };
  }, [outbox]);
  return <OutboxContext.Provider value={{ outbox, lastSent }}>{children}</OutboxContext.Provider>;
}

export function useOutbox(): { outbox: Outbox; pending: readonly Pending[]; lastSent: Sent | null } {
  const value = useContext(OutboxContext);
  if (!value) throw new Error('useOutbox outside OutboxProvider');
  const [pending, setPending] = useState(value.outbox.pending);
  useEffect(() => value.outbox.subscribe(() => setPending(value.outbox.pending)), [value.outbox]);
  return { outbox: value.outbox, pending, lastSent: value.lastSent };
}

/** Steps not yet sent, and conflicts the advocate must decide. */
export function OutboxBanner({ pending, onResend, onDrop }: {
  pending: readonly Pending[];
  onResend: (key: string, version: number) => void;
  onDrop: (key: string) => void;
}) {
  const waiting = describePending(pending);
  const stuck = pending.filter((p) => p.state === 'conflict' || p.state === 'refused');
  if (!waiting && stuck.length === 0) return null;
  return (
    <div className="outbox" role="status" aria-live="polite">
      {waiting ? <p className="waiting"><strong>{waiting}</strong>: waiting for the server to answer; it will be sent by itself.</p> : null}
      {stuck.map((item) => (
        <div key={item.key} className="conflict">
          <p>
            <strong>{item.state === 'conflict' ? 'Not recorded: the case changed' : 'Not recorded'}</strong> ({item.reference}, “{item.input.summary}”): {item.message}
          </p>
          {item.state === 'conflict' ? (
            <ConflictChoice item={item} onResend={onResend} />
          ) : null}
          <button type="button" className="secondary" onClick={() => onDrop(item.key)}>Discard this step</button>
        </div>
      ))}
    </div>
  );
}

function ConflictChoice({ item, onResend }: { item: Pending; onResend: (key: string, version: number) => void }) {
  const version = item.actualVersion;
  if (version === undefined) return <p>Read the case again, then record the step anew.</p>;
  return (
    <button type="button" onClick={() => onResend(item.key, version)}>
      I have read the case as it now is: record this step over version {version}
    </button>
  );
}
