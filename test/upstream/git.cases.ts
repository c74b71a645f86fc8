import { UpstreamCase } from './support';
export const GIT_CASES: UpstreamCase[] = [];
