import type { RecordStepInput, RecordStepMutation } from '../gql/graphql';

// Steps waiting to reach the server. A step typed while the connection is down
// waits here, visibly, and is sent again with the same idempotency key until
// the server answers, so it is recorded once. A version conflict is kept and
// shown, never sent again over the case's newer version without the advocate.

export type StepAnswer = RecordStepMutation['recordStep'];

export type Pending = {
  key: string;
  caseId: string;
  reference: string;
  input: RecordStepInput;
  state: 'waiting' | 'sending' | 'conflict' | 'refused';
  message?: string;
  field?: string;
  /** After a version conflict: the case's version now. */
  actualVersion?: number;
  /** The step queued before this one on the same case, by this outbox. */
  after?: string;
};

export type Outcome =
  | { kind: 'sent'; answer: StepAnswer }
  | { kind: 'refused'; answer: StepAnswer }
  | { kind: 'queued' };

type Send = (input: RecordStepInput) => Promise<StepAnswer>;
type Sent = (caseId: string, answer: StepAnswer) => void;

export class OfflineError extends Error {}

export class Outbox {
  private items: Pending[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing = false;

  constructor(
    private readonly send: Send,
    private readonly isOffline: (error: unknown) => boolean,
    private readonly onSent: Sent = () => {},
    private readonly retryMs = 2000,
  ) {}

  get pending(): readonly Pending[] {
    return this.items;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Sends a step now; if the server does not answer, keeps it and retries. */
  async submit(caseId: string, reference: string, input: RecordStepInput): Promise<Outcome> {
    const key = input.idempotencyKey ?? newKey();
    const earlier = [...this.items].reverse().find((item) => item.caseId === caseId);
    const item: Pending = {
      key,
      caseId,
      reference,
      input: { ...input, idempotencyKey: key },
      state: 'waiting',
      ...(earlier ? { after: earlier.key } : {}),
    };
    this.items = [...this.items, item];
    this.changed();
    if (earlier) {
      this.schedule();
      return { kind: 'queued' };
    }
    const outcome = await this.attempt(item);
    if (outcome.kind === 'refused' && outcome.answer.__typename !== 'VersionConflict') {
      this.drop(key); // nothing was recorded; the form shows why
    }
    return outcome;
  }

  /** After a conflict, the advocate chose to send the step over the case as it now is. */
  resend(key: string, expectedVersion: number): void {
    this.update(key, {
      state: 'waiting',
      input: { ...this.find(key)!.input, expectedVersion },
    });
    void this.flush();
  }

  drop(key: string): void {
    this.items = this.items.filter((item) => item.key !== key);
    this.changed();
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const item of [...this.items]) {
        if (item.state !== 'waiting') continue;
        if (item.after && this.find(item.after)) continue; // its turn comes later
        const outcome = await this.attempt(item);
        if (outcome.kind === 'queued') break; // still offline: try again later
      }
    } finally {
      this.flushing = false;
    }
    if (this.items.some((item) => item.state === 'waiting')) this.schedule();
    else this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async attempt(item: Pending): Promise<Outcome> {
    const ownVersion = item.after !== undefined ? this.versions.get(item.after) : undefined;
    const input = ownVersion !== undefined ? { ...item.input, expectedVersion: ownVersion } : item.input;
    this.update(item.key, { state: 'sending', input });
    let answer: StepAnswer;
    try {
      answer = await this.send(input);
    } catch (error) {
      if (!this.isOffline(error)) throw error;
      this.update(item.key, { state: 'waiting' });
      this.schedule();
      return { kind: 'queued' };
    }
    if ('stepId' in answer) {
      this.versions.set(item.key, answer.caseVersion);
      this.drop(item.key);
      this.onSent(item.caseId, answer);
      void this.flush();
      return { kind: 'sent', answer };
    }
    const field = answer.__typename === 'ValidationFailed' ? answer.field : undefined;
    this.update(item.key, {
      state: answer.__typename === 'VersionConflict' ? 'conflict' : 'refused',
      message: answer.message,
      ...(field !== undefined ? { field } : {}),
      ...(answer.__typename === 'VersionConflict' ? { actualVersion: answer.actualVersion } : {}),
    });
    return { kind: 'refused', answer };
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setInterval(() => void this.flush(), this.retryMs);
  }

  private find(key: string): Pending | undefined {
    return this.items.find((item) => item.key === key);
  }

  private update(key: string, change: Partial<Pending>): void {
    this.items = this.items.map((item) => (item.key === key ? { ...item, ...change } : item));
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export function newKey(): string {
  return `web-${crypto.randomUUID()}`;
}

export function describePending(items: readonly Pending[]): string | null {
  const waiting = items.filter((item) => item.state === 'waiting' || item.state === 'sending');
  if (waiting.length === 0) return null;
  return waiting.length === 1 ? '1 step not yet sent' : `${waiting.length} steps not yet sent`;
}
