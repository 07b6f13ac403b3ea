/**
 * Fixed-window counters in memory, per process. Authentication routes count per address and per account;
 * the account lockout (in the database) is the cross-process guard.
 */
export interface RateLimiter {
  /** Counts a hit; returns how long to wait (ms) when the limit is exceeded, else 0. */
  hit(key: string, limit: number, windowMs: number, now: number): number;
  reset(): void;
}

export const createRateLimiter = (maxKeys = 100_000): RateLimiter => {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, limit, windowMs, now) {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) {
            if (now - v.start >= windowMs) {
              windows.delete(k);
            }
          }
          if (windows.size >= maxKeys) {
            windows.clear();
          }
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return w.count > limit ? w.start + windowMs - now : 0;
    },
    reset() {
      windows.clear();
    },
  };
};
