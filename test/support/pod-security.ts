// The Kubernetes Pod Security Standards' "restricted" level (which includes "baseline"), as
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists its controls, for
// tests that check what a chart renders into a namespace that enforces it.

/** The volume types the restricted level allows. */
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** The pod spec of a workload object (Pod, its template in a controller, a CronJob's job template), if it has one. */
export function podSpecOf(o: any): any {
  if (o?.kind === 'Pod') return o.spec;
  if (o?.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o?.spec?.template?.spec;
}

/** What the restricted level refuses in a pod spec: one line per control and container. */
export function restrictedViolations(spec: any): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('pod: host namespaces');
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUMES.includes(type)) out.push(`volume ${v.name}: type ${type}`);
  }
  if (pod.runAsUser === 0) out.push('pod: runAsUser 0');
  for (const c of [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []]) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) out.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}: capabilities do not drop ALL`);
    const added = (sc.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
    if (added.length) out.push(`${at}: adds capabilities ${added.join(', ')}`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${at}: runAsNonRoot is not true`);
    if (sc.runAsUser === 0) out.push(`${at}: runAsUser 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') out.push(`${at}: seccompProfile is ${seccomp ?? 'unset'}`);
    if ((c.ports ?? []).some((p: any) => p.hostPort)) out.push(`${at}: hostPort`);
  }
  return out;
}
