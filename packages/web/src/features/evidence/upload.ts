import { useCallback } from 'react';
import { ApiError } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';

/**
 * Multipart uploads (the JSON client cannot send files). Sends the same CSRF header as `api/client.ts` (the session's
 * token), the text fields before the file part (the server reads the fields that precede the file), and turns a
 * problem document into an ApiError so `ErrorAlert` shows the server's reason (e.g. "executables are not accepted").
 */
export const sendForm = async <T>(
  method: 'POST' | 'PUT',
  path: string,
  fields: Record<string, string>,
  file: File,
  csrf: string | undefined,
): Promise<T> => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    form.append(k, v);
  }
  form.append('file', file, file.name);
  const res = await fetch(path, {
    method,
    body: form,
    credentials: 'same-origin',
    headers: { accept: 'application/json', 'x-csrf-token': csrf ?? 'anonymous' },
  });
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    throw new ApiError(res.status, (data ?? {}) as ConstructorParameters<typeof ApiError>[1]);
  }
  return data as T;
};

/** `sendForm` bound to the current session; a 401 ends the session like any other request. */
export const useUpload = (): (<T>(
  method: 'POST' | 'PUT',
  path: string,
  fields: Record<string, string>,
  file: File,
) => Promise<T>) => {
  const { session, expire } = useSession();
  const csrf = session?.csrfToken;
  return useCallback(
    async <T>(method: 'POST' | 'PUT', path: string, fields: Record<string, string>, file: File) => {
      try {
        return await sendForm<T>(method, path, fields, file, csrf);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          expire();
        }
        throw err;
      }
    },
    [csrf, expire],
  );
};
