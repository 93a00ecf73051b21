import { describe, expect, it, vi } from 'vitest';
import type { RecordStepInput } from '../gql/graphql';
import { describePending, Outbox, type StepAnswer } from './outbox';

class Down extends Error {}

const STEP: RecordStepInput = { caseId: 'case-1', kind: 'housing.advocacy', summary: 'Called.', expectedVersion: 4 };

function recorded(version: number, replayed = false): StepAnswer {
  return { __typename: 'StepRecorded', stepId: `step-${version}`, caseVersion: version, position: 100 + version, replayed };
}

/** A server that is down until told otherwise, and remembers what it was sent. */
function server() {
  const state = { up: false, version: 4, sent: [] as RecordStepInput[], accepted: [] as RecordStepInput[], keys: new Set<string>() };
  const send = vi.fn(async (input: RecordStepInput): Promise<StepAnswer> => {
    state.sent.push(input);
    if (!state.up) throw new Down();
    if (input.idempotencyKey && state.keys.has(input.idempotencyKey)) return recorded(state.version, true);
    if (input.expectedVersion !== state.version) {
      return { __typename: 'VersionConflict', message: `the case is at version ${state.version}`, expectedVersion: input.expectedVersion ?? 0, actualVersion: state.version };
    }
    state.version += 1;
    if (input.idempotencyKey) state.keys.add(input.idempotencyKey);
    state.accepted.push(input);
    return recorded(state.version);
  });
  return { state, send };
}

describe('the outbox', () => {
  it('keeps a step while the server does not answer, and sends it with the same key when it does', async () => {
    const { state, send } = server();
    const sent = vi.fn();
    const outbox = new Outbox(send, (e) => e instanceof Down, sent, 60_000);

    expect(await outbox.submit('case-1', 'JIN-D1', STEP)).toEqual({ kind: 'queued' });
    expect(describePending(outbox.pending)).toBe('1 step not yet sent');
    await outbox.flush();
    expect(describePending(outbox.pending)).toBe('1 step not yet sent');

    state.up = true;
    await outbox.flush();
    outbox.stop();

    expect(outbox.pending).toEqual([]);
    expect(describePending(outbox.pending)).toBeNull();
    const keys = new Set(state.sent.map((input) => input.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(state.sent).toHaveLength(3);
    expect(sent).toHaveBeenCalledTimes(1);
    expect(state.version).toBe(5);
  });

  it('sends two steps typed offline on one case in order, the second over the first', async () => {
    const { state, send } = server();
    const outbox = new Outbox(send, (e) => e instanceof Down, () => {}, 60_000);
    await outbox.submit('case-1', 'JIN-D1', STEP);
    await outbox.submit('case-1', 'JIN-D1', { ...STEP, summary: 'Called again.' });
    expect(describePending(outbox.pending)).toBe('2 steps not yet sent');

    state.up = true;
    await outbox.flush();
    outbox.stop();

    expect(outbox.pending).toEqual([]);
    expect(state.version).toBe(6);
    expect(state.accepted.map((input) => [input.summary, input.expectedVersion])).toEqual([
      ['Called.', 4],
      ['Called again.', 5],
    ]);
  });

  it('shows a version conflict and never sends the step over the newer case by itself', async () => {
    const { state, send } = server();
    state.up = true;
    state.version = 7; // someone else recorded meanwhile
    const outbox = new Outbox(send, (e) => e instanceof Down, () => {}, 60_000);

    const outcome = await outbox.submit('case-1', 'JIN-D1', STEP);
    await outbox.flush();

    expect(outcome.kind).toBe('refused');
    expect(outbox.pending).toHaveLength(1);
    expect(outbox.pending[0]).toMatchObject({ state: 'conflict', actualVersion: 7 });
    expect(state.version).toBe(7);
    expect(send).toHaveBeenCalledTimes(1);

    outbox.resend(outbox.pending[0]!.key, 7); // the advocate read the case and chose to record it
    await vi.waitFor(() => expect(outbox.pending).toEqual([]));
    outbox.stop();
    expect(state.version).toBe(8);
  });

  it('drops a step the API refused as invalid: the form shows why, nothing waits', async () => {
    const send = vi.fn(async (): Promise<StepAnswer> => ({ __typename: 'ValidationFailed', field: 'summary', message: 'summary: say in neutral words what happened' }));
    const outbox = new Outbox(send, () => false, () => {}, 60_000);

    const outcome = await outbox.submit('case-1', 'JIN-D1', { ...STEP, summary: '' });

    expect(outcome).toMatchObject({ kind: 'refused', answer: { field: 'summary' } });
    expect(outbox.pending).toEqual([]);
  });
});
