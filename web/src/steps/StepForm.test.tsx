import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepForm, detailsOf, type StepDraft, type StepKind } from './StepForm';

afterEach(cleanup);

const KINDS: StepKind[] = [
  {
    code: 'nrm.reasonable_grounds_decision', area: 'nrm', label: 'Reasonable grounds decision',
    fields: [{ name: 'outcome', type: 'CHOICE', required: true, nullable: false, allowedValues: ['positive', 'negative'], minLength: null, maxLength: null, minimum: null, decimalPlaces: null }],
  },
  {
    code: 'compensation.award_received', area: 'compensation', label: 'Award received',
    fields: [
      { name: 'amount', type: 'DECIMAL', required: true, nullable: false, allowedValues: null, minLength: null, maxLength: null, minimum: '0', decimalPlaces: 2 },
      { name: 'interim', type: 'BOOLEAN', required: false, nullable: false, allowedValues: null, minLength: null, maxLength: null, minimum: null, decimalPlaces: null },
      { name: 'offences', type: 'TEXT_LIST', required: false, nullable: false, allowedValues: null, minLength: null, maxLength: null, minimum: null, decimalPlaces: null },
      { name: 'weeks', type: 'INTEGER', required: false, nullable: true, allowedValues: null, minLength: null, maxLength: null, minimum: '0', decimalPlaces: null },
    ],
  },
];

const describeDate = async (edtf: string) => ({ __typename: 'DateDescription' as const, edtf, display: edtf || 'undated', earliest: null, latest: null });

function choose(kind: string) {
  fireEvent.change(screen.getByLabelText('Kind of step'), { target: { value: kind } });
}

describe('the step form', () => {
  it('offers each kind’s payload fields, typed as the vocabulary says', () => {
    render(<StepForm kinds={KINDS} describe={describeDate} onSubmit={async () => null} submitLabel="Record step" />);
    choose('compensation.award_received');

    expect(screen.getByLabelText('Amount')).toBeTruthy();
    expect((screen.getByLabelText('Interim (optional)') as HTMLInputElement).type).toBe('checkbox');
    expect(screen.getByLabelText('Offences (optional), one a line').tagName).toBe('TEXTAREA');
    choose('nrm.reasonable_grounds_decision');
    const options = [...(screen.getByLabelText('Outcome') as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['', 'positive', 'negative']);
    expect(screen.queryByLabelText('Amount')).toBeNull();
  });

  it('sends the step as the API takes it', async () => {
    const onSubmit = vi.fn(async (_draft: StepDraft) => null);
    render(<StepForm kinds={KINDS} describe={describeDate} onSubmit={onSubmit} submitLabel="Record step" />);
    choose('compensation.award_received');
    fireEvent.change(screen.getByLabelText('When it happened'), { target: { value: ' 2023-05 ' } });
    fireEvent.change(screen.getByLabelText('What happened, in neutral words'), { target: { value: 'Award paid.' } });
    fireEvent.change(screen.getByLabelText('Amount'), { target: { value: '1500.00' } });
    fireEvent.change(screen.getByLabelText('Offences (optional), one a line'), { target: { value: 'assault\n\n trafficking ' } });
    fireEvent.change(screen.getByLabelText('Document'), { target: { value: 'CICA letter' } });
    fireEvent.change(screen.getByLabelText('Pin cite (page, paragraph)'), { target: { value: 'p. 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record step' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      kind: 'compensation.award_received',
      occurred: '2023-05',
      summary: 'Award paid.',
      details: { amount: '1500.00', offences: ['assault', 'trafficking'] },
      sources: [{ document: 'CICA letter', pin: 'p. 2' }],
    });
  });

  it('shows a refusal beside the field the API names, and keeps what was typed', async () => {
    const onSubmit = async () => ({ field: 'details.outcome', message: 'details.outcome: Field required' });
    render(<StepForm kinds={KINDS} describe={describeDate} onSubmit={onSubmit} submitLabel="Record step" />);
    choose('nrm.reasonable_grounds_decision');
    fireEvent.change(screen.getByLabelText('What happened, in neutral words'), { target: { value: 'Decision received.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record step' }));

    const outcome = screen.getByLabelText('Outcome');
    await waitFor(() => expect(outcome.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(outcome.getAttribute('aria-describedby')!);
    expect(message?.textContent).toBe('details.outcome: Field required');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect((screen.getByLabelText('What happened, in neutral words') as HTMLTextAreaElement).value).toBe('Decision received.');
  });

  it('shows a refusal naming no field of the form above the form', async () => {
    const onSubmit = async () => ({ field: 'expectedVersion', message: 'The case moved on.' });
    render(<StepForm kinds={KINDS} describe={describeDate} onSubmit={onSubmit} submitLabel="Record step" />);
    fireEvent.click(screen.getByRole('button', { name: 'Record step' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The case moved on.');
  });
});

describe('the payload', () => {
  it('leaves out what was not given and keeps what the API must judge', () => {
    const fields = KINDS[1]!.fields;
    expect(detailsOf(fields, { amount: ' 12.5 ', weeks: '3', interim: true })).toEqual({ amount: '12.5', weeks: 3, interim: true });
    expect(detailsOf(fields, { weeks: 'three' })).toEqual({ weeks: 'three' });
  });
});
