import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { request } from './client';

export type QueryState<R> = {
  data: R | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
};

/** Reads an operation when the variables change; pages call it, leaves never. */
export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  skip = false,
): QueryState<R> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: R | null; error: Error | null; loading: boolean }>(
    { data: null, error: null, loading: !skip },
  );
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    if (skip) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    request(document, JSON.parse(key) as V, controller.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: error as Error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [document, key, generation, skip]);
  return { ...state, reload };
}
