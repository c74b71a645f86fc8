import { messages } from '../core/errors';

/**
 * A Kubernetes resource quantity (`"500m"`, `"20Gi"`, `"10"`), parsed once into a value that
 * keeps its text (what is rendered, byte for byte) and its exact amount (what is compared
 * and added up). The amount is a decimal held as a BigInt, never a floating-point number:
 * `0.1 + 0.2` CPUs are exactly `0.3`, as the API server's own `resource.Quantity` counts.
 *
 * The accepted form is the library's (unchanged): digits with an optional fraction and one of
 * the suffixes `m`, `k`, `M`, `G`, `T`, `P`, `E` (decimal) or `Ki` ... `Ei` (binary).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export class Quantity {
  /** The quantity of a text, or `undefined` when it is not one. Each distinct text is parsed once. */
  public static parse(text: unknown): Quantity | undefined {
    if (typeof text !== 'string') return undefined;
    const known = PARSED.get(text);
    if (known !== undefined || PARSED.has(text)) return known;
    const m = FORM.exec(text);
    const q = m ? new Quantity(text, BigInt(m[1] + (m[2] ?? '')), (m[2]?.length ?? 0), m[3] ?? '') : undefined;
    if (PARSED.size >= MAX_REMEMBERED) PARSED.clear();
    PARSED.set(text, q);
    return q;
  }

  /**
   * The quantity of a value the caller has already checked (a declaration's checked prop):
   * a quantity text, or a whole number (a tenant quota may be given as one); throws when it is neither.
   */
  public static of(text: string | number): Quantity {
    const q = Quantity.parse(typeof text === 'number' && Number.isInteger(text) && text >= 0 ? BigInt(text).toString() : text);
    if (!q) throw new Error(messages.internal.uncheckedQuantity(text));
    return q;
  }

  /** The exact sum of quantities (an empty list is zero); its text is the amount in base units. */
  public static sum(quantities: readonly Quantity[]): Quantity {
    const scale = Math.max(0, ...quantities.map((q) => q.scale));
    const units = quantities.reduce((acc, q) => acc + q.units * 10n ** BigInt(scale - q.scale), 0n);
    return Quantity.exact(units, scale);
  }

  private static exact(units: bigint, scale: number): Quantity {
    const digits = units.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
    return new Quantity(text, units, scale, '');
  }

  /** The amount in base units (cores, bytes) times 10^scale: exact. */
  private readonly units: bigint;
  /** The power of ten `units` is scaled by. */
  private readonly scale: number;

  private constructor(
    /** The quantity as written (rendered unchanged). */
    public readonly text: string,
    digits: bigint,
    fractionDigits: number,
    suffix: string,
  ) {
    const [binary, power] = SUFFIX[suffix];
    if (binary) {
      this.units = digits * 1024n ** BigInt(power);
      this.scale = fractionDigits;
    } else {
      this.units = power >= 0 ? digits * 10n ** BigInt(power) : digits;
      this.scale = fractionDigits + (power < 0 ? -power : 0);
    }
  }

  /** -1, 0 or 1 as this quantity is less than, equal to or more than `other`. */
  public compare(other: Quantity): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.units * 10n ** BigInt(scale - this.scale);
    const b = other.units * 10n ** BigInt(scale - other.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** The amount in base units as a JavaScript number (rounded; for display and estimates, not for comparing). */
  public get approximate(): number {
    return Number(this.units) / 10 ** this.scale;
  }

  /** The quantity as written. */
  public toString(): string {
    return this.text;
  }
}

const FORM = /^([0-9]+)(?:\.([0-9]+))?(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/;
/** Suffix -> [binary, power]: 1024^power for binary suffixes, 10^power for decimal ones. */
const SUFFIX: Record<string, [boolean, number]> = {
  '': [false, 0], 'm': [false, -3], 'k': [false, 3], 'M': [false, 6], 'G': [false, 9], 'T': [false, 12], 'P': [false, 15], 'E': [false, 18],
  'Ki': [true, 1], 'Mi': [true, 2], 'Gi': [true, 3], 'Ti': [true, 4], 'Pi': [true, 5], 'Ei': [true, 6],
};
/** Parsed texts, remembered (a platform uses a few distinct quantities; the bound keeps a long-lived process small). */
const PARSED = new Map<string, Quantity | undefined>();
const MAX_REMEMBERED = 10_000;
