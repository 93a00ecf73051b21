import { useState, type FormEvent } from 'react';
import { FieldError } from '../components/FieldError';
import type { ConsentPurpose } from '../gql/graphql';

export type Refusal = { field?: string | undefined; message: string };

const PURPOSES: { value: ConsentPurpose; label: string }[] = [
  { value: 'RECORD_KEEPING', label: 'Record keeping' },
  { value: 'SHARING_WITH_COUNSEL', label: 'Sharing with counsel' },
  { value: 'EVALUATION', label: 'Inclusion in the evaluation' },
  { value: 'NRM_REFERRAL', label: 'An NRM referral' },
];

/** The survivor's consents, as they stand, with giving and withdrawing each. */
export function ConsentPanel({ consents, onChange }: {
  consents: readonly ConsentPurpose[];
  onChange: (purpose: ConsentPurpose, give: boolean, note: string) => Promise<Refusal | null>;
}) {
  const [note, setNote] = useState('');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  async function change(purpose: ConsentPurpose, give: boolean) {
    setRefusal(await onChange(purpose, give, note));
  }
  return (
    <section className="panel no-print" aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
      {refusal && refusal.field !== 'note' ? <p className="form-error" role="alert">{refusal.message}</p> : null}
      <div className="field">
        <label htmlFor="consent-note">How and when the survivor said so</label>
        <input id="consent-note" value={note} onChange={(e) => setNote(e.target.value)}
          aria-describedby={refusal?.field === 'note' ? 'consent-note-error' : undefined} />
        <FieldError id="consent-note-error" message={refusal?.field === 'note' ? refusal.message : undefined} />
      </div>
      <ul className="consents">
        {PURPOSES.map(({ value, label }) => {
          const given = consents.includes(value);
          return (
            <li key={value}>
              <span>{label}: <strong>{given ? 'given' : 'not given'}</strong></span>{' '}
              <button type="button" className="secondary" onClick={() => void change(value, !given)}>
                {given ? 'Record it withdrawn' : 'Record it given'}<span className="visually-hidden"> ({label})</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

type Evidence = { title: string; documentKind: string; bundleRef: string };

/** Attach a document; its id can then be named as a step's source. */
export function EvidenceForm({ onSubmit }: { onSubmit: (evidence: Evidence) => Promise<Refusal | string> }) {
  const [evidence, setEvidence] = useState<Evidence>({ title: '', documentKind: '', bundleRef: '' });
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [attached, setAttached] = useState<string | null>(null);
  const fields: { name: keyof Evidence; label: string }[] = [
    { name: 'title', label: 'Title' },
    { name: 'documentKind', label: 'Kind of document (e.g. witness_statement)' },
    { name: 'bundleRef', label: 'Place in the bundle (e.g. B/345, optional)' },
  ];
  async function submit(event: FormEvent) {
    event.preventDefault();
    setAttached(null);
    const answer = await onSubmit(evidence);
    if (typeof answer === 'string') {
      setRefusal(null);
      setAttached(answer);
      setEvidence({ title: '', documentKind: '', bundleRef: '' });
    } else setRefusal(answer);
  }
  const known = fields.map((f) => f.name as string);
  return (
    <section className="panel no-print" aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">Attach evidence</h2>
      <form onSubmit={submit} noValidate aria-label="Attach evidence">
        {refusal && !known.includes(refusal.field ?? '') ? <p className="form-error" role="alert">{refusal.message}</p> : null}
        {attached ? <p role="status">Attached. Name <code>{attached}</code> as a step’s source document.</p> : null}
        {fields.map(({ name, label }) => (
          <div className="field" key={name}>
            <label htmlFor={`evidence-${name}`}>{label}</label>
            <input id={`evidence-${name}`} value={evidence[name]} onChange={(e) => setEvidence({ ...evidence, [name]: e.target.value })}
              aria-invalid={refusal?.field === name ? true : undefined} aria-describedby={refusal?.field === name ? `evidence-${name}-error` : undefined} />
            <FieldError id={`evidence-${name}-error`} message={refusal?.field === name ? refusal.message : undefined} />
          </div>
        ))}
        <button type="submit">Attach</button>
      </form>
    </section>
  );
}
