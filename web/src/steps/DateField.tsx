import { useEffect, useId, useState } from 'react';
import type { DescribeDateQuery } from '../gql/graphql';
import { FieldError } from '../components/FieldError';

export type DateDescriber = (edtf: string) => Promise<DescribeDateQuery['describeDate']>;

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  describe: DateDescriber;
  /** The API's refusal of this field, once sent. */
  error?: string | undefined;
  /** How long typing may pause before the preview is asked for. */
  delayMs?: number;
};

/**
 * EDTF date entry with a preview of how the chronology will print the date.
 * The words come from the API (describeDate), never from a second printer here.
 */
export function DateField({ label, value, onChange, describe, error, delayMs = 250 }: Props) {
  const id = useId();
  const [preview, setPreview] = useState<{ text: string; refused: boolean } | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      describe(value).then(
        (answer) => {
          if (!current) return;
          if (answer.__typename === 'DateDescription') setPreview({ text: answer.display, refused: false });
          else setPreview({ text: answer.message, refused: true });
        },
        () => current && setPreview(null),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [value, describe, delayMs]);
  const message = error ?? (preview?.refused ? preview.text : undefined);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name="occurred"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={`${id}-hint ${id}-preview${message ? ` ${id}-error` : ''}`}
        aria-invalid={message ? true : undefined}
        autoComplete="off"
        placeholder="2019-06~"
      />
      <p className="hint" id={`${id}-hint`}>
        EDTF: 2019-06-14, 2019-06, 2019-06~ (about), 2019-06? (uncertain), 2018-03/2018-05
        (between), ../2016 (on or before). Leave empty for undated.
      </p>
      <p className="preview" id={`${id}-preview`} aria-live="polite" data-testid="date-preview">
        {preview && !preview.refused ? <>Prints as: <strong>{preview.text}</strong></> : null}
      </p>
      <FieldError id={`${id}-error`} message={message} />
    </div>
  );
}
