/**
 * Errors that are bugs of the library, never the user's input: they say what broke inside, and
 * start with "internal" so a report of one goes to the library's maintainers.
 */
export const internalMessages = {
  subnetDoesNotFit: (prefix: number, index: number, parent: string) => `internal: subnet /${prefix} #${index} does not fit in ${parent}`,
  builtInLimitBelowRequest: (limit: string, request: string) => `internal: a built-in entry's memory limit ${limit} is below its request ${request}`,
  uncheckedQuantity: (text: unknown) => `internal: ${JSON.stringify(text)} is not a Kubernetes quantity (it should have been checked where it was declared)`,
  noRotationName: (pool: string) => `internal: no free temporary name for AKS node pool ${JSON.stringify(pool)} (AKS allows 100 pools in a cluster)`,
  keptFileNotGenerated: (file: string) => `internal: the incremental render kept ${JSON.stringify(file)}, which the output's manifest does not list`,
  reportNotLoaded: () => 'internal error: the report module was not loaded (import the package entry point, not a single module)',
};
