/** The one source of time. Services take a Clock so tests can move time (timeouts, deadlines). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export interface ManualClock extends Clock {
  set(date: Date): void;
  advance(ms: number): void;
}

export const createManualClock = (start: Date = new Date('2026-01-01T00:00:00Z')): ManualClock => {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
