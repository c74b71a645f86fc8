/**
 * The Terraform provider packages are optional peer dependencies: a platform installs the
 * ones of the clouds it uses (an Azure-only platform never installs the 392 MB of
 * `@cdktf/provider-aws`). This module makes the library load a provider package only when a
 * construct first uses one of its classes, and turns a missing package into the library's
 * own error naming the package to install.
 *
 * How: the Terraform modules of this folder import provider submodules as usual
 * (`import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster'`), which compiles to a
 * `require` whose result is read when a class is used (`new eks_cluster_1.EksCluster(...)`).
 * {@link installLazyProviders} hands those modules, and only those, a stand-in that requires
 * the real submodule on first property access. Test runners that load sources themselves
 * (vitest) bypass it and load providers eagerly, which is harmless where all are installed.
 * See docs/decisions/0012-first-hour.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fail, messages, PlatformValidationError } from '../core/errors';
import { CloudProvider } from '../model/cloud';
import { SecretStoreKind } from '../model/secret-store';

/** A provider package, what needs it, and the version this library is tested with. */
export interface ProviderPackage {
  /** The npm package name. */
  readonly name: string;
  /** What in a platform needs it, in words. */
  readonly neededFor: string;
}

/** Every provider package the library may load. */
export const PROVIDER_PACKAGES = {
  aws: { name: '@cdktf/provider-aws', neededFor: 'EKS clusters, AWS Secrets Manager and AWS identities' },
  azurerm: { name: '@cdktf/provider-azurerm', neededFor: 'AKS clusters, Azure Key Vault and Azure identities' },
  helm: { name: '@cdktf/provider-helm', neededFor: 'the Argo CD bootstrap of a management cluster' },
  kubernetes: { name: '@cdktf/provider-kubernetes', neededFor: 'the service accounts a management cluster creates' },
  vault: { name: '@cdktf/provider-vault', neededFor: 'a Vault (or OpenBao) secret store' },
  time: { name: '@cdktf/provider-time', neededFor: 'an AKS management cluster: its bootstrap waits until the runner\'s Azure RBAC role has taken effect' },
} as const satisfies Record<string, ProviderPackage>;

/** The version of a provider package this library is tested with (from its own package.json). */
export function testedVersion(pkg: string): string {
  const own = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { peerDependencies?: Record<string, string> };
  return (own.peerDependencies?.[pkg] ?? '').replace(/^[\^~]/, '');
}

/** The message for a provider package that is not installed. */
export function missingProviderMessage(pkg: ProviderPackage, usedBy?: string): string {
  return messages.missingProvider(usedBy, pkg.name, pkg.neededFor, testedVersion(pkg.name));
}

/** How a package is looked up; tests pass their own. */
export type PackageResolver = (name: string) => boolean;

/** True when `name` resolves from this library's folder. */
export const installedPackage: PackageResolver = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [__dirname] });
    return true;
  } catch {
    return false;
  }
};

/**
 * Throws the library's validation error, at `path`, when a package `usedBy` needs is missing:
 * called by the constructs that will render resources of that provider.
 */
export function requireProviders(at: string, usedBy: string, packages: readonly ProviderPackage[], resolve: PackageResolver = installedPackage): void {
  for (const pkg of packages) {
    if (!resolve(pkg.name)) fail(at, missingProviderMessage(pkg, usedBy));
  }
}

/**
 * The provider packages a cluster's state needs: its cloud's, the secret store's it writes its
 * registration to, and, for an AKS state that installs into its cluster through the API (a
 * management cluster's bootstrap), time's (it waits for the runner's role to take effect).
 */
export function clusterProviders(cloud: CloudProvider, store: SecretStoreKind, installsThroughApi = false): ProviderPackage[] {
  const own = cloud === CloudProvider.AZURE ? PROVIDER_PACKAGES.azurerm : PROVIDER_PACKAGES.aws;
  const writer = store === SecretStoreKind.VAULT ? PROVIDER_PACKAGES.vault : store === SecretStoreKind.AZURE_KEY_VAULT ? PROVIDER_PACKAGES.azurerm : PROVIDER_PACKAGES.aws;
  const wait = installsThroughApi && cloud === CloudProvider.AZURE ? [PROVIDER_PACKAGES.time] : [];
  return [...new Set([own, writer, ...wait])];
}

const TERRAFORM_FOLDER = __dirname + path.sep;
const PROVIDER_REQUEST = /^(@cdktf\/provider-([a-z]+))\/lib\/.+$/;
let installed = false;

/**
 * Makes `require` calls of provider submodules from this folder's modules lazy (see the
 * module comment). Idempotent; does nothing where the library is not loaded through Node's
 * module loader.
 */
export function installLazyProviders(): void {
  if (installed) return;
  installed = true;
  const Module = require('module') as { _load: (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown };
  const load = Module._load;
  const cache = new Map<string, object>();
  Module._load = function lazyProviders(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown {
    const m = PROVIDER_REQUEST.exec(request);
    if (!m || !parent?.filename?.startsWith(TERRAFORM_FOLDER)) return load.call(this, request, parent, isMain);
    const key = `${request}\0${parent.filename}`;
    let stub = cache.get(key);
    if (!stub) {
      let real: Record<string | symbol, unknown> | undefined;
      const get = (): Record<string | symbol, unknown> => {
        if (!real) {
          try {
            real = load.call(this, request, parent, false) as Record<string | symbol, unknown>;
          } catch (e) {
            const pkg = Object.values(PROVIDER_PACKAGES).find((p) => p.name === m[1]);
            if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && pkg && !installedPackage(pkg.name)) {
              throw new PlatformValidationError([{ path: 'platform', message: missingProviderMessage(pkg) }]);
            }
            throw e;
          }
        }
        return real;
      };
      stub = new Proxy({}, {
        get: (_t, p) => get()[p],
        has: (_t, p) => p in get(),
        ownKeys: () => Reflect.ownKeys(get()),
        getOwnPropertyDescriptor: (_t, p) => {
          const d = Reflect.getOwnPropertyDescriptor(get(), p);
          return d ? { ...d, configurable: true } : undefined;
        },
      });
      cache.set(key, stub);
    }
    return stub;
  };
}

installLazyProviders();
