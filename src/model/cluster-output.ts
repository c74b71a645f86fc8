import { fail, messages } from '../core/errors';

/** The name of a cluster output: an annotation key and a secret-store fact name. */
export const OUTPUT_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A value the fleet's Terraform produces that add-ons need (an IAM role ARN, a
 * client id, a DNS zone): written into the secret store with the connection facts
 * and rendered as an annotation of the cluster's Argo CD registration.
 */
export class ClusterOutput {
  /**
   * Refers to an output by name, for clusters declared elsewhere or imported; every
   * cluster a catalog entry targets must provide it (checked at synth: a declared cluster
   * with `addOutput`, an imported one with the `outputs` of `FleetCluster.fromName`).
   */
  public static named(name: string): ClusterOutput {
    if (typeof name !== 'string' || !OUTPUT_NAME.test(name)) {
      fail('ClusterOutput.named', messages.model.outputReference(name));
    }
    return new ClusterOutput(name, '');
  }

  /** The Argo CD name of each targeted cluster (every cluster provides it), e.g. for external-dns's `txtOwnerId`. */
  public static clusterName(): ClusterOutput {
    return new ClusterOutput('', '', '{{ .name }}');
  }

  /** @internal */
  constructor(
    /** The annotation key on the cluster Secret (also the fact's name in the store). */
    public readonly name: string,
    /** @internal */ public readonly _value: string,
    private readonly template?: string,
  ) {}

  /** @internal True for facts every cluster provides (not declared outputs). */
  public get _builtin(): boolean {
    return this.template !== undefined;
  }

  /** @internal */
  public static isClusterOutput(x: unknown): x is ClusterOutput {
    return x instanceof ClusterOutput;
  }

  /** The Go template an ApplicationSet cluster generator uses to read this output. */
  public get goTemplate(): string {
    return this.template ?? `{{ index .metadata.annotations "${this.name}" }}`;
  }
}
