import { fail, messages } from './errors';
import { isPlainObject } from './data';

/**
 * Checks of the arguments of the library's exported functions (JavaScript callers may pass
 * anything): a wrong argument is the library's validation error naming the function and the
 * argument, never a TypeError from inside it.
 */

/** Throws unless `value` is a Map (e.g. the files `platform.render()` returns). */
export function checkMapArg(fn: string, arg: string, value: unknown, example: string): void {
  if (!(value instanceof Map)) fail(fn, messages.args.map(arg, value, example));
}

/** Throws unless `value` is a list. */
export function checkListArg(fn: string, arg: string, value: unknown, example: string): void {
  if (!Array.isArray(value)) fail(fn, messages.args.list(arg, value, example));
}

/** Throws unless `value` is a string. */
export function checkStringArg(fn: string, arg: string, value: unknown, example: string): void {
  if (typeof value !== 'string') fail(fn, messages.args.string(arg, value, example));
}

/** Throws unless `value` is undefined or a plain object. */
export function checkOptionsArg(fn: string, arg: string, value: unknown): void {
  if (value !== undefined && !isPlainObject(value)) fail(fn, messages.args.options(arg, value));
}

/** Throws unless `value` is an object (not null, not a list). */
export function checkObjectArg(fn: string, arg: string, value: unknown, example: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(fn, messages.args.object(arg, value, example));
}
