import { fail, messages } from '../core/errors';

/**
 * The Kubernetes minor versions this library provisions, in ONE place: the range
 * the pinned Argo CD release (see `ARGO_CD_CHART`) supports and that AKS and EKS
 * offer. Raise it together with the Argo CD pin. 1.31 left EKS's extended support on
 * 2026-11-26 (a new cluster can no longer be created on it).
 */
export const SUPPORTED_KUBERNETES_VERSIONS = { min: 32, max: 35 } as const;

/** Checks a `1.N` Kubernetes version against the supported range; returns the minor number. */
export function checkKubernetesVersion(path: string, prop: string, value: unknown): number {
  const { min, max } = SUPPORTED_KUBERNETES_VERSIONS;
  const m = typeof value === 'string' ? /^1\.(\d{1,2})$/.exec(value) : null;
  const minor = m ? Number(m[1]) : NaN;
  if (!m || minor < min || minor > max) {
    fail(path, messages.kubernetesVersion(prop, value, `1.${min}`, `1.${max}`));
  }
  return minor;
}
