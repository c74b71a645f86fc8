import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, isPodKind, named, PolicyRule, POD_KINDS, podSpecOf } from './rule';

const RULE = SecurityRule.RESOURCE_LIMITS;

/** Every container declares a memory limit (an unbounded container can take its node's memory). */
export const resourceLimits: PolicyRule = {
  rule: RULE,
  kinds: POD_KINDS,
  create: (out) => ({
    object(f, kind, name, o) {
      if (!isPodKind(kind)) return;
      // init containers run before the others: their limits count too
      const spec = podSpecOf(kind, o);
      const unbounded = ['initContainers', 'containers'].flatMap((k) => arr(at(spec, k))).filter((c) => at(c, 'resources', 'limits', 'memory') === undefined);
      if (unbounded.length > 0) {
        out.push({ rule: RULE, file: f.file, message: messages.policy.memoryLimit(RULE, f.file, named(kind, name), unbounded.map((c) => at(c, 'name'))) });
      }
    },
  }),
};
