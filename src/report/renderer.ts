import { messages, type Problem } from '../core/errors';
import type { Platform } from '../platform';
import type { ApplicationSetData } from './platform-data';

/**
 * Renders the report files (`platform.json`, `PLATFORM.md`) of a platform from its rendered files
 * (`parsed`: the objects the render still holds, by file, so they are not parsed back from their text;
 * `kept`: the ApplicationSets of the files an incremental synth kept, which `files` does not hold).
 */
export type ReportRenderer = (platform: Platform, files: ReadonlyMap<string, string>, warnings: readonly Problem[], parsed?: ReadonlyMap<string, unknown>,
  kept?: readonly ApplicationSetData[]) => Map<string, string>;

let installed: ReportRenderer | undefined;

/**
 * Installs the report renderer. The report reads every kind of construct, which all
 * import the platform, so the platform cannot import the report: the report module
 * installs itself when it loads (the package entry point loads it).
 */
export function installReportRenderer(renderer: ReportRenderer): void {
  installed = renderer;
}

/** The installed report renderer; throws when the report module was never loaded. */
export function reportRenderer(): ReportRenderer {
  if (!installed) throw new Error(messages.internal.reportNotLoaded());
  return installed;
}
