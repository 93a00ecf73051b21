import { useId, useMemo, useState, type FormEvent } from 'react';
import type { StepKindsQuery } from '../gql/graphql';
import { FieldError } from '../components/FieldError';
import { DateField, type DateDescriber } from './DateField';

export type StepKind = StepKindsQuery['stepKinds'][number];
export type PayloadField = StepKind['fields'][number];

export type StepDraft = {
  kind: string;
  occurred: string;
  summary: string;
  details: Record<string, unknown>;
  sources: { document: string; pin: string | null }[];
  reason?: string;
};

/** Why the API recorded nothing: `field` as the API names it (`details.outcome`). */
export type Refusal = { field?: string | undefined; message: string };

type Props = {
  kinds: readonly StepKind[];
  describe: DateDescriber;
  onSubmit: (draft: StepDraft) => Promise<Refusal | null>;
  initial?: StepDraft;
  /** A correction needs a reason, kept on the record. */
  withReason?: boolean;
  submitLabel: string;
  onCancel?: () => void;
};

type Values = Record<string, string | boolean>;

/** A step form built from the vocabulary: each kind's payload fields, typed. */
export function StepForm({ kinds, describe, onSubmit, initial, withReason, submitLabel, onCancel }: Props) {
  const id = useId();
  const [kind, setKind] = useState(initial?.kind ?? '');
  const [occurred, setOccurred] = useState(initial?.occurred ?? '');
  const [summary, setSummary] = useState(initial?.summary ?? '');
  const [reason, setReason] = useState('');
  const [values, setValues] = useState<Values>(() => valuesOf(initial?.details ?? {}));
  const [document, setDocument] = useState(initial?.sources[0]?.document ?? '');
  const [pin, setPin] = useState(initial?.sources[0]?.pin ?? '');
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const areas = useMemo(() => groupByArea(kinds), [kinds]);
  const chosen = kinds.find((k) => k.code === kind);
  const errorFor = (field: string) => (refusal?.field === field ? refusal.message : undefined);
  const known = new Set([
    'kind', 'occurred', 'summary', 'reason', 'sources[0].document', 'sources[0].pin',
    ...(chosen?.fields.map((f) => `details.${f.name}`) ?? []),
  ]);
  const general = refusal && !(refusal.field && known.has(refusal.field)) ? refusal.message : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    const draft: StepDraft = {
      kind,
      occurred: occurred.trim(),
      summary,
      details: chosen ? detailsOf(chosen.fields, values) : {},
      sources: document.trim() ? [{ document: document.trim(), pin: pin.trim() || null }] : [],
      ...(withReason ? { reason } : {}),
    };
    try {
      const refused = await onSubmit(draft);
      setRefusal(refused);
      if (!refused && !initial) {
        setOccurred('');
        setSummary('');
        setValues({});
        setDocument('');
        setPin('');
      }
    } catch (error) {
      setRefusal({ message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="step-form" onSubmit={submit} aria-label={submitLabel} noValidate>
      {general ? <p className="form-error" role="alert">{general}</p> : null}
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind of step</label>
        <select
          id={`${id}-kind`}
          name="kind"
          value={kind}
          onChange={(e) => setKind(e.target.value)}
          aria-invalid={errorFor('kind') ? true : undefined}
          aria-describedby={errorFor('kind') ? `${id}-kind-error` : undefined}
        >
          <option value="">Choose…</option>
          {areas.map(([area, list]) => (
            <optgroup key={area} label={area}>
              {list.map((k) => (
                <option key={k.code} value={k.code}>
                  {k.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <FieldError id={`${id}-kind-error`} message={errorFor('kind')} />
      </div>
      <DateField label="When it happened" value={occurred} onChange={setOccurred} describe={describe} error={errorFor('occurred')} />
      <TextArea id={`${id}-summary`} label="What happened, in neutral words" value={summary} onChange={setSummary} error={errorFor('summary')} name="summary" />
      {chosen?.fields.map((field) => (
        <PayloadInput
          key={field.name}
          id={`${id}-d-${field.name}`}
          field={field}
          value={values[field.name]}
          onChange={(value) => setValues((v) => ({ ...v, [field.name]: value }))}
          error={errorFor(`details.${field.name}`)}
        />
      ))}
      <fieldset className="sources">
        <legend>Source</legend>
        <TextInput id={`${id}-doc`} label="Document" value={document} onChange={setDocument} error={errorFor('sources[0].document')} name="source-document" />
        <TextInput id={`${id}-pin`} label="Pin cite (page, paragraph)" value={pin} onChange={setPin} error={errorFor('sources[0].pin')} name="source-pin" />
      </fieldset>
      {withReason ? (
        <TextArea id={`${id}-reason`} label="Why it is corrected" value={reason} onChange={setReason} error={errorFor('reason')} name="reason" />
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function groupByArea(kinds: readonly StepKind[]): [string, StepKind[]][] {
  const areas = new Map<string, StepKind[]>();
  for (const kind of kinds) areas.set(kind.area, [...(areas.get(kind.area) ?? []), kind]);
  return [...areas.entries()];
}

function valuesOf(details: Record<string, unknown>): Values {
  const values: Values = {};
  for (const [name, value] of Object.entries(details)) {
    if (typeof value === 'boolean') values[name] = value;
    else if (Array.isArray(value)) values[name] = value.join('\n');
    else if (value !== null && value !== undefined) values[name] = String(value);
  }
  return values;
}

/** The payload as the API takes it; what the API would refuse is left for it to say. */
export function detailsOf(fields: readonly PayloadField[], values: Values): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'BOOLEAN') {
      if (value !== undefined || field.required) details[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) continue; // absent: the API says if it is required
    if (field.type === 'INTEGER') details[field.name] = /^-?\d+$/.test(text) ? Number(text) : text;
    else if (field.type === 'TEXT_LIST') details[field.name] = text.split('\n').map((s) => s.trim()).filter(Boolean);
    else details[field.name] = text;
  }
  return details;
}

function words(name: string): string {
  const text = name.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function PayloadInput({ id, field, value, onChange, error }: {
  id: string;
  field: PayloadField;
  value: string | boolean | undefined;
  onChange: (value: string | boolean) => void;
  error: string | undefined;
}) {
  const label = `${words(field.name)}${field.required ? '' : ' (optional)'}`;
  const name = `details.${field.name}`;
  if (field.type === 'BOOLEAN') {
    return (
      <div className="field checkbox">
        <input id={id} name={name} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
        <label htmlFor={id}>{label}</label>
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  }
  if (field.type === 'CHOICE') {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <select id={id} name={name} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">{field.required ? 'Choose…' : '—'}</option>
          {(field.allowedValues ?? []).map((v) => (
            <option key={v} value={v}>{words(v)}</option>
          ))}
        </select>
        <FieldError id={`${id}-error`} message={error} />
      </div>
    );
  }
  if (field.type === 'TEXT_LIST') {
    return <TextArea id={id} name={name} label={`${label}, one a line`} value={typeof value === 'string' ? value : ''} onChange={onChange} error={error} />;
  }
  const type = field.type === 'DATE' ? 'date' : 'text';
  const mode = field.type === 'INTEGER' ? 'numeric' : field.type === 'DECIMAL' ? 'decimal' : undefined;
  return <TextInput id={id} name={name} label={label} type={type} inputMode={mode} value={typeof value === 'string' ? value : ''} onChange={onChange} error={error} />;
}

function TextInput({ id, label, value, onChange, error, name, type = 'text', inputMode }: {
  id: string; label: string; value: string; onChange: (v: string) => void; error: string | undefined;
  name: string; type?: string; inputMode?: 'numeric' | 'decimal' | undefined;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} inputMode={inputMode} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

function TextArea({ id, label, value, onChange, error, name }: {
  id: string; label: string; value: string; onChange: (v: string) => void; error: string | undefined; name: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} rows={3} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
