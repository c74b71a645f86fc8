import { messages } from '../../core/errors';
import { SecurityRule } from '../security-rule';
import { arr, at, isToken, PolicyRule } from './rule';

const RULE = SecurityRule.RESTRICTED_API_ENDPOINT;
const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0', '*', '0.0.0.0/1', '128.0.0.0/1']);

/** A Terraform JSON block: an object, or a list holding one. */
function block(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The fleet endpoint wiring the library renders: the management state's egress addresses
 * (each a /32 of a NAT gateway or load balancer IP), optionally after literal ranges.
 */
const MANAGEMENT_EGRESS = /^\$\{(?:concat\(\[((?:"[^"]*"(?:, )?)*)\], )?data\.terraform_remote_state\.management-state\.outputs\.egress_cidrs\)?\}$/;

/**
 * An API server allow-list that is missing, empty, open to everyone, or known only at
 * apply time (a `${...}` reference cannot be reviewed in Git).
 */
function openRanges(ranges: unknown): boolean {
  const egress = typeof ranges === 'string' ? MANAGEMENT_EGRESS.exec(ranges) : null;
  if (egress && (ranges as string).startsWith('${concat(') === (egress[1] !== undefined)) {
    const literal = [...(egress[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    return literal.some((c) => OPEN_RANGES.has(c.trim()));
  }
  if (isToken(ranges)) return true;
  const list = arr(ranges);
  return list.length === 0 || list.some((c) => isToken(c) || OPEN_RANGES.has(String(c).trim()));
}

/** A cluster API server (EKS, AKS) is private, or public only for an explicit allow-list of ranges (never 0.0.0.0/0). */
export const restrictedApiEndpoint: PolicyRule = {
  rule: RULE,
  kinds: [],
  create: (out) => ({
    terraform({ file, each }) {
      each('aws_eks_cluster', (n, r) => {
        const vpc = block(at(r, 'vpc_config'));
        if (at(vpc, 'endpoint_public_access') === false) return;
        const ranges = at(vpc, 'public_access_cidrs');
        if (openRanges(ranges)) out.push({ rule: RULE, file, message: messages.policy.openApiEndpoint(RULE, file, `aws_eks_cluster.${n}`, ranges ?? ['0.0.0.0/0']) });
      });
      each('azurerm_kubernetes_cluster', (n, r) => {
        if (at(r, 'private_cluster_enabled') === true) return;
        const ranges = at(block(at(r, 'api_server_access_profile')), 'authorized_ip_ranges');
        if (openRanges(ranges)) out.push({ rule: RULE, file, message: messages.policy.openApiServer(RULE, file, `azurerm_kubernetes_cluster.${n}`, ranges ?? ['0.0.0.0/0']) });
      });
    },
  }),
};
