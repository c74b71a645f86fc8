/** Messages of the render pass and of writing the output folder (src/synth/). */
export const outputMessages = {
  applicationNameClash: (name: string, namespace: string, management: string, origins: readonly string[]) =>
    `${origins.length} Applications are named ${JSON.stringify(name)} in namespace ${JSON.stringify(namespace)} of management cluster ${JSON.stringify(management)}: ${origins.join('; ')}. `
    + 'Argo CD keeps one Application per name there, and ApplicationSets that generate the same name take it from each other on every reconcile, deploying one definition then the other. '
    + 'Fix: rename one of the things the Application name is made of (a tenant, a team service, a cluster or a catalog entry) so that the names differ.',
  permissionsNotChecked: (skipped: string) => `AppProject permissions not checked, nor Application names across ApplicationSets: ${skipped}`,
  writeFailed: (outdir: string, reason: string, state: string) =>
    `writing the platform to ${JSON.stringify(outdir)} failed: ${reason}. ${state} Fix: free space or permissions on that folder, then synth again.`,
  writeLockTimeout: (outdir: string, lockMessage: string, lockFile: string) =>
    `writing the platform to ${JSON.stringify(outdir)} failed: ${lockMessage} and did not finish in time. The previous output is unchanged. Fix: let the other synth finish (or, if none runs, delete ${JSON.stringify(lockFile)} beside the output folder), then synth again.`,
  outdirNotAFolder: (outdir: string, kind: string) =>
    `cannot write the platform to ${JSON.stringify(outdir)}: it is ${kind}, not a folder. Fix: remove it or choose another outdir.`,
  lockTakenOver: () => 'the lock on the output folder was taken over by another process',
  afterWriteFailed: (reason: string) => `the new output is in place, but a step after writing it failed (${reason}). Fix: synth again.`,
  synthCacheNotWritten: (reason: string, file: string) =>
    `the output is complete, but the synth cache ${JSON.stringify(file)} could not be written (${reason}), so the next synth renders every tenant again. Fix: free space or permissions in that folder, or set CDK8S_GITOPS_PLATFORM_CACHE to a writable folder (or to "off").`,
  moreWarnings: (count: number) =>
    `${count} more warning(s) not printed here. Fix: read every warning in PLATFORM.md (section Warnings) or platform.json, or from platform.warnings.`,
};
