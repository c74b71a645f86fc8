import { messages } from '../core/errors';

/**
 * What a group name may not hold: Argo CD reads `policy.csv` and AppProject role policies as CSV
 * (a comma splits a field, a bare double quote fails the whole policy) and refuses role groups
 * with a double quote, tab, carriage return or line break.
 */
export const GROUP_UNSAFE = /[,"\t\r\n]/;

/** SSO groups, as the identity provider sends them in the `groups` claim. */
export class Group {
  /** One group. */
  public static named(name: string): Group {
    return new Group([name]);
  }

  /** Any of these groups. */
  public static anyOf(names: string[]): Group {
    // what is not a list is kept for the owner's check to report
    return new Group(Array.isArray(names) ? [...names] : names);
  }

  private constructor(private readonly _names: readonly string[]) {}

  /** The group names (a copy). */
  public get names(): string[] {
    return Array.isArray(this._names) ? [...this._names] : [];
  }

  /** @internal */
  public _problems(prop: string): string[] {
    if (!Array.isArray(this._names)) return [messages.tenant.groupNotList(prop, this._names)];
    if (this._names.length === 0) return [messages.tenant.groupEmpty(prop)];
    const bad = this._names.find((n) => typeof n !== 'string' || n.trim() === '' || GROUP_UNSAFE.test(n));
    return bad === undefined ? [] : [messages.tenant.groupName(prop, bad)];
  }
}
