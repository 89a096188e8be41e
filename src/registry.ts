// One registry per kind of name (layer types, activations, losses, optimizers,
// initializers, reductions): a Map from the names a user or a file may write to
// what they stand for. Only the registry's own names answer; `constructor`,
// `__proto__` and `hasOwnProperty` are unknown names like any other.

import { InputError, describe } from './errors.js';

export class Registry<T> {
  private readonly entries: Map<string, T>;
  private readonly aliases: Map<string, string>;

  /**
   * `normalize` maps what a caller wrote to the spelling aliases are keyed by
   * (e.g. lower case without separators), so 'leaky_relu' finds 'leakyRelu'.
   */
  constructor(
    /** What the names name, for messages: "activation", "loss", … */
    readonly kind: string,
    entries: Iterable<readonly [string, T]>,
    aliases: Iterable<readonly [string, string]> = [],
    private readonly normalize: (name: string) => string = (name) => name,
  ) {
    this.entries = new Map(entries);
    this.aliases = new Map();
    for (const name of this.entries.keys()) this.aliases.set(normalize(name), name);
    for (const [alias, name] of aliases) {
      if (!this.entries.has(name)) throw new Error(`${kind} alias ${alias}: ${name} is not registered`);
      this.aliases.set(normalize(alias), name);
    }
  }

  /** The canonical names, in registration order. */
  get names(): string[] {
    return [...this.entries.keys()];
  }

  /** The canonical name `name` stands for, or undefined. */
  canonical(name: unknown): string | undefined {
    if (typeof name !== 'string') return undefined;
    return this.entries.has(name) ? name : this.aliases.get(this.normalize(name));
  }

  /** The canonical name, or an InputError that names `argument` and lists the choices. */
  resolve(name: unknown, argument: string): string {
    const found = this.canonical(name);
    if (found === undefined) throw new InputError(`${argument}: expected one of ${this.names.join(', ')}, got ${describe(name)}`);
    return found;
  }

  /** What `name` stands for, or an InputError that names `argument` and lists the choices. */
  get(name: unknown, argument: string): T {
    return this.entries.get(this.resolve(name, argument)) as T;
  }
}
