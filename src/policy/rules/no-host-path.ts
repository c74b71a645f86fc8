import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, isPodKind, named, obj, PolicyRule, POD_KINDS, podSpecOf } from './rule';

const RULE = SecurityRule.NO_HOST_PATH;

/** No pod mounts a `hostPath` volume (a path of the node's file system). */
export const noHostPath: PolicyRule = {
  rule: RULE,
  kinds: POD_KINDS,
  create: (out) => ({
    object(f, kind, name, o) {
      if (!isPodKind(kind)) return;
      const host = arr(at(podSpecOf(kind, o), 'volumes')).filter((v) => obj(at(v, 'hostPath')) !== undefined);
      if (host.length > 0) {
        out.push({ rule: RULE, file: f.file, message: messages.policy.hostPath(RULE, f.file, named(kind, name), host.map((v) => ({ name: at(v, 'name'), path: at(v, 'hostPath', 'path') }))) });
      }
    },
  }),
};
