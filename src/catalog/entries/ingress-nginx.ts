import { Construct } from 'constructs';
import { messages } from '../../core/errors';
import { catalogOptions } from '../catalog-options';
import { ServiceCatalogEntry } from '../service-catalog-entry';
import { CHARTS } from '../versions';
import { CatalogEntryOptions, entry, label, resources } from './common';

/** ingress-nginx, for existing users only: retired upstream (no releases after March 2026); synth warns. */
export function ingressNginx(scope: Construct, options: CatalogEntryOptions = {}): ServiceCatalogEntry {
  options = catalogOptions(scope, 'ingressNginx', options);
  return entry(scope, 'ingress-nginx', options, {
    chart: CHARTS.ingressNginx,
    namespace: 'ingress-nginx',
    targets: label('core-basic'),
    deprecation: messages.catalog.ingressNginxRetired(),
    values: { controller: { replicaCount: 2, resources: resources('100m', '128Mi', '512Mi'), allowSnippetAnnotations: false, admissionWebhooks: { enabled: true } } },
  });
}
