import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { DateField, type DateDescriber } from './DateField';

afterEach(cleanup);

function Controlled({ describe }: { describe: DateDescriber }) {
  const [value, setValue] = useState('');
  return <DateField label="When it happened" value={value} onChange={setValue} describe={describe} delayMs={0} />;
}

describe('the date preview', () => {
  it('shows the words the API will print for the date typed', async () => {
    const describe = vi.fn<DateDescriber>(async (edtf) =>
      edtf === '2019-06~'
        ? { __typename: 'DateDescription', edtf, display: 'c. June 2019', earliest: '2019-06-01', latest: '2019-06-30' }
        : { __typename: 'DateDescription', edtf: '', display: 'undated', earliest: null, latest: null },
    );
    render(<Controlled describe={describe} />);
    fireEvent.change(screen.getByLabelText('When it happened'), { target: { value: '2019-06~' } });

    expect(await screen.findByText('c. June 2019')).toBeTruthy();
    expect(describe).toHaveBeenLastCalledWith('2019-06~');
    expect(screen.getByTestId('date-preview').textContent).toBe('Prints as: c. June 2019');
  });

  it('shows the API’s refusal beside the field, and no preview', async () => {
    const describe: DateDescriber = async (edtf) =>
      edtf ? { __typename: 'ValidationFailed', field: 'edtf', message: 'edtf: 3019 is in the future' } :
        { __typename: 'DateDescription', edtf: '', display: 'undated', earliest: null, latest: null };
    render(<Controlled describe={describe} />);
    const input = screen.getByLabelText('When it happened');
    fireEvent.change(input, { target: { value: '3019' } });

    expect((await screen.findByRole('alert')).textContent).toBe('edtf: 3019 is in the future');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('date-preview').textContent).toBe('');
  });

  it('asks only for the date as it stands once typing pauses', async () => {
    vi.useFakeTimers();
    const describe = vi.fn<DateDescriber>(async (edtf) => ({ __typename: 'DateDescription', edtf, display: edtf, earliest: null, latest: null }));
    function Slow() {
      const [value, setValue] = useState('');
      return <DateField label="When" value={value} onChange={setValue} describe={describe} delayMs={250} />;
    }
    render(<Slow />);
    const input = screen.getByLabelText('When');
    for (const text of ['2', '20', '201', '2019']) fireEvent.change(input, { target: { value: text } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(300);
    });
    vi.useRealTimers();
    expect(describe.mock.calls.map(([edtf]) => edtf)).toEqual(['2019']);
  });
});
