import { useCallback, useEffect, useRef, useState } from 'react';

/** Loads data and reloads on demand; errors are kept for display. */
export const useLoad = <T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: unknown; reload: () => void; loading: boolean } => {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the caller's dependencies change
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    loadRef.current().then(
      (d) => {
        if (!cancelled) {
          setData(d);
          setError(null);
          setLoading(false);
        }
      },
      (e: unknown) => {
        if (!cancelled) {
          setError(e);
          setLoading(false);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
};
