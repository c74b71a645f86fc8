import { messages, PlatformValidationError } from '../core/errors';
import { checkList, checkProps, checkRecord } from '../core/data';
import { checkCloudTags, checkDnsLabel, checkDomain, checkGitRevision, checkLabelMap, checkRepoUrl } from '../core/validate';
import { checkPolicySeverities, PolicySeverities } from '../policy/policy-pass';
import { SecretStore } from './secret-store';
import { TerraformBackend } from './terraform-backend';

/** The Git repository Argo CD reads the synthesized output from. */
export interface RepositoryProps {
  /** Clone URL, e.g. `https://github.com/acme/platform-gitops.git`. */
  readonly url: string;
  /**
   * Branch, tag or commit Argo CD tracks.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * Folder of the repository that holds the synthesized output (where `dist/` is committed).
   * @default 'dist'
   */
  readonly path?: string;
  /**
   * The platform secret store entry holding the credentials Argo CD clones this repository
   * with (properties `username` and `password` for an https URL, `sshPrivateKey` for ssh; the
   * same convention as a NamespaceTenant's `credentialsKey`). The management cluster's
   * Terraform state reads the entry and creates the Argo CD repository Secret before the root
   * Application (the first clone needs it before External Secrets runs); an ExternalSecret in
   * the management cluster's folder then keeps the Secret in step with the store. The
   * credential is in the management cluster's Terraform state (keep the backend encrypted and
   * restricted), never in Git.
   * @default - a public repository, no credentials
   * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#repositories
   */
  readonly credentialsKey?: string;
}

/** The platform's repository settings, with the defaults applied. */
export interface PlatformRepository extends RepositoryProps {
  readonly revision: string;
  readonly path: string;
}

/** Props of {@link Platform}. */
export interface PlatformProps {
  /** The GitOps repository. */
  readonly repository: RepositoryProps;
  /** The platform's base DNS domain, e.g. `platform.acme.dev` (Argo CD is `argocd.<domain>`). */
  readonly domain: string;
  /** Where credentials and connection facts live (never in Git). */
  readonly secretStore: SecretStore;
  /** Remote state for every cluster's Terraform (one state per cluster). */
  readonly terraformBackend: TerraformBackend;
  /**
   * The environments, in promotion order.
   * @default ['dev', 'staging', 'prod']
   */
  readonly environments?: string[];
  /**
   * Labels added to every cluster registration.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Cloud tags added to every resource that takes tags (cost allocation).
   * @default - `{ 'managed-by': 'cdk8s-gitops-platform' }` only
   */
  readonly tags?: Record<string, string>;
  /**
   * Stack dependencies: a cluster with label `<stack>: enabled` must also have
   * `<dependency>: enabled`. Merged over the defaults (a key you set replaces the default's list).
   * @default { 'monitoring-medium': ['storage-basic'] }
   */
  readonly stackDependencies?: Record<string, string[]>;
  /**
   * Make a cluster without `security-basic: enabled` an error instead of a warning.
   * @default false
   */
  readonly requireSecurityBasic?: boolean;
  /**
   * Severity of each rule of the security policy pass that runs on every render over
   * the manifests and Terraform (`SecurityRule` -> `PolicySeverity`).
   * @default - every rule is an error
   * @see https://github.com/cdk8s-team/cdk8s-cli (the same rules as a validation plugin: `SecurityPolicyValidation`)
   */
  readonly policies?: PolicySeverities;
  /**
   * Output folder of {@link Platform.synth}.
   * @default - `CDK8S_OUTDIR` (set by `cdk8s synth`), else `dist`
   */
  readonly outdir?: string;
}

/** @internal The platform's settings, checked and with the defaults applied (normalized once). */
export interface PlatformSettings {
  readonly repository: PlatformRepository;
  readonly domain: string;
  readonly secretStore: SecretStore;
  readonly terraformBackend: TerraformBackend;
  readonly environments: readonly string[];
  readonly labels: Record<string, string>;
  readonly tags: Record<string, string>;
  readonly outdir: string | undefined;
  readonly policies: PolicySeverities;
  readonly stackDependencies: Record<string, string[]>;
  readonly requireSecurityBasic: boolean;
}

/** @internal Checks the platform's props (the library's error naming the prop) and applies the defaults. */
export function platformSettings(here: string, props: PlatformProps): PlatformSettings {
  checkProps(here, props, '{ repository, domain, secretStore, terraformBackend }');
  checkRecord(here, 'repository', props.repository, '{ url: "https://github.com/acme/platform-gitops.git" }');
  checkRepoUrl(here, 'repository.url', props.repository?.url);
  const repoPath = props.repository.path ?? 'dist';
  if (typeof repoPath !== 'string' || repoPath !== '' && (!/^[\w.-]+(\/[\w.-]+)*$/.test(repoPath) || repoPath.split('/').some((s) => s === '..' || s === '.'))) {
    throw new PlatformValidationError([{ path: here, message: messages.model.repositoryPath(repoPath) }]);
  }
  const repository: PlatformRepository = {
    url: props.repository.url,
    revision: checkGitRevision(here, 'repository.revision', props.repository.revision ?? 'main'),
    path: repoPath,
  };
  const domain = checkDomain(here, 'domain', props.domain);
  // the shared Gateway's wildcard listener and certificate cover `*.apps.<domain>`
  if (domain.length > 253 - '*.apps.'.length) {
    throw new PlatformValidationError([{ path: here, message: messages.model.domainRoom(domain, `*.apps.${domain}`) }]);
  }
  if (!(props.secretStore instanceof SecretStore)) {
    throw new PlatformValidationError([{ path: here, message: messages.model.secretStoreFactory(props.secretStore) }]);
  }
  props.secretStore._validate(here);
  // (the store's kind decides which entry names it takes)
  const credentialsKey = props.secretStore._checkCredentialsKey(here, 'repository.credentialsKey', props.repository.credentialsKey);
  if (!(props.terraformBackend instanceof TerraformBackend)) {
    throw new PlatformValidationError([{ path: here, message: messages.model.terraformBackendFactory(props.terraformBackend) }]);
  }
  props.terraformBackend._validate(here);
  const envs = checkList<string>(here, 'environments', props.environments ?? ['dev', 'staging', 'prod'], '["dev", "staging", "prod"]');
  if (envs.length === 0) {
    throw new PlatformValidationError([{ path: here, message: messages.model.noEnvironments(envs) }]);
  }
  envs.forEach((e, i) => checkDnsLabel(here, `environments[${i}]`, e));
  if (new Set(envs).size !== envs.length) {
    throw new PlatformValidationError([{ path: here, message: messages.model.duplicateEnvironment(envs) }]);
  }
  return {
    repository: credentialsKey === undefined ? repository : { ...repository, credentialsKey },
    domain,
    secretStore: props.secretStore,
    terraformBackend: props.terraformBackend,
    environments: [...envs],
    labels: checkLabelMap(here, 'labels', props.labels),
    tags: { 'managed-by': 'cdk8s-gitops-platform', ...checkCloudTags(here, 'tags', props.tags) },
    outdir: props.outdir,
    policies: checkPolicySeverities(here, 'policies', props.policies),
    stackDependencies: { 'monitoring-medium': ['storage-basic'], ...props.stackDependencies },
    requireSecurityBasic: props.requireSecurityBasic ?? false,
  };
}
