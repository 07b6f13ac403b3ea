import { get } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { listReleases, type Progress as ProgressData, type Release } from './products-api.ts';

/** The latest release of a product and its % verified of applicable mandatory MFDS items. */
export const useLatestProgress = (
  productId: string,
): { release: Release | null; progress: ProgressData | null; loading: boolean } => {
  const { can } = useSession();
  const canRead = can('compliance:read');
  const state = useLoad(async () => {
    const releases = await listReleases(productId);
    const release = releases[0] ?? null;
    const progress =
      release && canRead
        ? await get<ProgressData>(`/api/v1/releases/${release.id}/assessment/progress`)
        : null;
    return { release, progress };
  }, [productId, canRead]);
  return {
    release: state.data?.release ?? null,
    progress: state.data?.progress ?? null,
    loading: state.loading,
  };
};
