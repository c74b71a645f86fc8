/** The name of the AppProject of platform components. */
export const PLATFORM_PROJECT = 'platform';
