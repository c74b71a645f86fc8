import { UpstreamCase } from './support';
export const GENERATOR_CASES: UpstreamCase[] = [];
