/** Escapes LIKE/ILIKE wildcards so user text matches literally (the default escape character is a backslash). */
export const escapeLike = (s: string): string => s.replace(/[%_\\]/g, (c) => `\\${c}`);
