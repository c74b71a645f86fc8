/**
 * Orders two strings by their UTF-16 code units, as `<` does (and as the default `sort()` does),
 * so that output sorted with it is the same on every machine and locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
