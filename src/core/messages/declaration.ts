import { badValue } from './format';

/** The declaration of a platform: the Platform, its clusters and its model (src/platform.ts, src/cluster/, src/model/). */
export const declarationMessages = {
  platformOfScope: (scope: unknown) => badValue('scope', scope, 'a construct of a Platform', 'pass the Platform or a construct inside it'),
};
