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

/**
 * The date the support calendars below were last checked against the clouds' published
 * calendars. They are tables of this library's release, like the supported range: the synth
 * compares a cluster's minor with them, never with the clock, so a synth's output does not change
 * by itself from one day to the next. Update them with each release.
 */
export const KUBERNETES_CALENDAR_AS_OF = '2026-12-01';

/** A minor's support on AKS: the last day of community support, and of long-term support (Premium tier). */
export interface AksMinorSupport {
  /** The last day of community support (`KubernetesOfficial` plan), `YYYY-MM-DD`. */
  readonly end: string;
  /** The last day of long-term support (`AKSLongTermSupport` plan), `YYYY-MM-DD`. */
  readonly ltsEnd: string;
}

/**
 * AKS's calendar (end of life is the last day of the month it names). Past `end`, AKS no longer
 * creates clusters on the minor (platform support leaves out cluster creation) unless the cluster
 * runs the `AKSLongTermSupport` plan, which the Premium tier allows, until `ltsEnd`.
 * @see https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
 * @see https://learn.microsoft.com/azure/aks/long-term-support
 */
export const AKS_SUPPORT: Readonly<Record<number, AksMinorSupport>> = {
  32: { end: '2026-03-31', ltsEnd: '2027-03-31' },
  33: { end: '2026-07-31', ltsEnd: '2027-07-31' },
  34: { end: '2026-11-30', ltsEnd: '2027-11-30' },
  35: { end: '2027-03-31', ltsEnd: '2028-03-31' },
};

/** A minor's support on EKS: the last day of standard support, and of extended support. */
export interface EksMinorSupport {
  /** The last day of standard support, `YYYY-MM-DD`. */
  readonly standardEnd: string;
  /** The last day of extended support (billed higher), after which EKS upgrades the cluster, `YYYY-MM-DD`. */
  readonly extendedEnd: string;
}

/**
 * EKS's calendar: 14 months of standard support, then 12 of extended support, billed at a
 * higher rate per cluster hour (extended support is on unless the cluster opts out).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export const EKS_SUPPORT: Readonly<Record<number, EksMinorSupport>> = {
  32: { standardEnd: '2026-03-23', extendedEnd: '2027-03-23' },
  33: { standardEnd: '2026-07-29', extendedEnd: '2027-07-29' },
  34: { standardEnd: '2026-12-02', extendedEnd: '2027-12-02' },
  35: { standardEnd: '2027-03-27', extendedEnd: '2028-03-27' },
};

/** How far ahead of {@link KUBERNETES_CALENDAR_AS_OF} an end of support is announced. */
export const SUPPORT_NOTICE_DAYS = 90;

/** Where an end of support (`YYYY-MM-DD`) stands as of {@link KUBERNETES_CALENDAR_AS_OF}: `past`, `near` (within the notice), or neither. */
function endOfSupport(end: string): 'past' | 'near' | undefined {
  const left = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${KUBERNETES_CALENDAR_AS_OF}T00:00:00Z`)) / 86_400_000;
  return left < 0 ? 'past' : left <= SUPPORT_NOTICE_DAYS ? 'near' : undefined;
}

/**
 * What the calendar says of an AKS minor as of {@link KUBERNETES_CALENDAR_AS_OF}: `ended` (a
 * new cluster cannot be created on it under the plan), `ending` (within
 * {@link SUPPORT_NOTICE_DAYS}), or nothing to say. `lts`: the cluster runs long-term support.
 */
export function aksSupportState(minor: number, lts: boolean): { state: 'ended' | 'ending'; end: string; ltsEnd: string } | undefined {
  const s = AKS_SUPPORT[minor];
  if (!s) return undefined;
  const end = lts ? s.ltsEnd : s.end;
  const where = endOfSupport(end);
  return where && { state: where === 'past' ? 'ended' : 'ending', end, ltsEnd: s.ltsEnd };
}

/**
 * What the calendar says of an EKS minor as of {@link KUBERNETES_CALENDAR_AS_OF}: `extended`
 * (past standard support: billed at the extended rate until `extendedEnd`), `ending` (standard
 * support ends within {@link SUPPORT_NOTICE_DAYS}), or nothing to say.
 */
export function eksSupportState(minor: number): { state: 'extended' | 'ending'; standardEnd: string; extendedEnd: string } | undefined {
  const s = EKS_SUPPORT[minor];
  if (!s) return undefined;
  const where = endOfSupport(s.standardEnd);
  return where && { state: where === 'past' ? 'extended' : 'ending', ...s };
}
