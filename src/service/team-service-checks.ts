import { fail, messages } from '../core/errors';
import { checkDnsLabel, checkHttpPath, checkPort } from '../core/validate';
import type { TeamServiceProps } from './team-service';

/**
 * Checks of the TeamService props that reach the Deployment, the ServiceMonitor, the
 * ExternalSecret and the migration Job as they are: the probe path, the metrics port and
 * path, the team's SecretStore name and the migration command. Each is the library's error
 * naming the field.
 */
export function checkServiceEndpoints(here: string, props: TeamServiceProps): void {
  if (props.healthPath !== undefined) checkHttpPath(here, 'healthPath', props.healthPath);
  if (props.metrics !== undefined) {
    if (typeof props.metrics !== 'object' || props.metrics === null) fail(here, messages.service.metrics(props.metrics));
    if (props.metrics.port !== undefined) {
      checkPort(here, 'metrics.port', props.metrics.port);
      if (props.metrics.port < 1024) fail(here, messages.service.metricsPort(props.metrics.port));
    }
    if (props.metrics.path !== undefined) checkHttpPath(here, 'metrics.path', props.metrics.path);
  }
  if (props.secretStore !== undefined) checkDnsLabel(here, 'secretStore', props.secretStore);
  if (props.migration !== undefined) {
    const command: unknown = props.migration?.command;
    if (!Array.isArray(command) || command.length === 0 || command.some((c) => typeof c !== 'string' || c === '' || c.includes('\0'))) {
      fail(here, messages.service.migrationCommand(command));
    }
  }
}
