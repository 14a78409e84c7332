/**
 * Payload schemas: tasks travel between processes and machines as JSON data, and a worker must
 * refuse anything that is not exactly a task it knows (a queue is an open door otherwise). These
 * validators are strict: unknown fields, wrong types and out-of-range numbers are errors naming the
 * offending path. They return the value typed, so a validated payload needs no further casts.
 */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

export interface Schema<T> {
  /** Returns `value` typed as T, or throws PayloadError naming `path`. */
  parse(value: unknown, path?: string): T;
}

type Shape = Record<string, Schema<unknown>>;
type Infer<S extends Shape> = { [K in keyof S]: S[K] extends Schema<infer T> ? T : never };

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

export const s = {
  int(min: number, max: number): Schema<number> {
    return {
      parse(v, path = 'value') {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
          throw new PayloadError(`${path} must be an integer in [${min}, ${max}], got ${typeof v === 'number' ? v : describe(v)}`);
        }
        return v;
      },
    };
  },
  number(min = -Infinity, max = Infinity): Schema<number> {
    return {
      parse(v, path = 'value') {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
          throw new PayloadError(`${path} must be a finite number in [${min}, ${max}], got ${typeof v === 'number' ? v : describe(v)}`);
        }
        return v;
      },
    };
  },
  boolean(): Schema<boolean> {
    return {
      parse(v, path = 'value') {
        if (typeof v !== 'boolean') throw new PayloadError(`${path} must be a boolean, got ${describe(v)}`);
        return v;
      },
    };
  },
  string(maxLength: number, pattern?: RegExp): Schema<string> {
    return {
      parse(v, path = 'value') {
        if (typeof v !== 'string') throw new PayloadError(`${path} must be a string, got ${describe(v)}`);
        if (v.length > maxLength) throw new PayloadError(`${path} is longer than ${maxLength} characters`);
        if (pattern && !pattern.test(v)) throw new PayloadError(`${path} '${v.slice(0, 60)}' does not match ${pattern}`);
        return v;
      },
    };
  },
  oneOf<const T extends readonly (string | number)[]>(values: T): Schema<T[number]> {
    return {
      parse(v, path = 'value') {
        if (!values.includes(v as T[number])) throw new PayloadError(`${path} must be one of ${values.join(', ')}, got ${JSON.stringify(v)?.slice(0, 60)}`);
        return v as T[number];
      },
    };
  },
  optional<T>(inner: Schema<T>): Schema<T | undefined> {
    return { parse: (v, path = 'value') => (v === undefined ? undefined : inner.parse(v, path)) };
  },
  nullable<T>(inner: Schema<T>): Schema<T | null> {
    return { parse: (v, path = 'value') => (v === null ? null : inner.parse(v, path)) };
  },
  union<A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> {
    return {
      parse(v, path = 'value') {
        try {
          return a.parse(v, path);
        } catch (e) {
          if (!(e instanceof PayloadError)) throw e;
          return b.parse(v, path);
        }
      },
    };
  },
  array<T>(inner: Schema<T>, maxLength: number): Schema<T[]> {
    return {
      parse(v, path = 'value') {
        if (!Array.isArray(v)) throw new PayloadError(`${path} must be an array, got ${describe(v)}`);
        if (v.length > maxLength) throw new PayloadError(`${path} has more than ${maxLength} elements`);
        return v.map((x, i) => inner.parse(x, `${path}[${i}]`));
      },
    };
  },
  /** Any JSON value (used only for data the receiving code validates itself, e.g. a params file). */
  json(maxChars: number): Schema<unknown> {
    return {
      parse(v, path = 'value') {
        const text = JSON.stringify(v);
        if (text === undefined) throw new PayloadError(`${path} is not JSON data`);
        if (text.length > maxChars) throw new PayloadError(`${path} is larger than ${maxChars} characters`);
        return v;
      },
    };
  },
  object<S extends Shape>(shape: S): Schema<Infer<S>> {
    return {
      parse(v, path = 'payload') {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PayloadError(`${path} must be an object, got ${describe(v)}`);
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) throw new PayloadError(`${path} must be a plain object`);
        for (const k of Object.keys(v)) if (!(k in shape)) throw new PayloadError(`${path} has an unknown field '${k.slice(0, 40)}'`);
        const out: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(shape)) {
          const parsed = schema.parse((v as Record<string, unknown>)[k], `${path}.${k}`);
          if (parsed !== undefined) out[k] = parsed;
        }
        return out as Infer<S>;
      },
    };
  },
};
