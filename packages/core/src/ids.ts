import { v7 } from 'uuid';

/**
 * UUIDv7 (RFC 9562): time-ordered ids so that primary-key indexes stay append-friendly. The `uuid` package does the
 * work (it draws random bytes from a pool instead of one Web Crypto call per id: bulk writes make tens of thousands).
 * The time is the caller's clock, so tests with a manual clock get ids in the order of their events.
 */
export const uuidv7 = (now: number = Date.now()): string => v7({ msecs: now });

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
