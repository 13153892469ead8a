/**
 * The double's `k6/data`: `SharedArray`, as k6's own k6/data module makes it.
 * The function runs once per test, in the first init context that names the array; its result must
 * be an array, kept as one JSON text per element; every VU reads copies of the elements back
 * (frozen in k6, so the double freezes them too). Only in the init context.
 */
export type SharedStore = Map<string, string[]>;

export function dataModule(store: SharedStore, inInit: () => boolean): unknown {
  class SharedArray {
    constructor(name: unknown, fn: unknown) {
      if (!inInit()) throw new Error('new SharedArray must be called in the init context');
      if (typeof name !== 'string' || name === '') throw new Error("empty name provided to SharedArray's constructor");
      if (typeof fn !== 'function') throw new Error("a function is expected as the second argument of SharedArray's constructor");
      let items = store.get(name);
      if (items === undefined) {
        const made: unknown = fn();
        if (!Array.isArray(made)) throw new Error('only arrays can be made into SharedArray');
        items = made.map((x) => JSON.stringify(x));
        store.set(name, items);
      }
      const kept = items;
      return new Proxy(this, {
        get: (target, key) => {
          if (key === 'length') return kept.length;
          if (typeof key === 'string' && /^\d+$/.test(key)) {
            const text = kept[Number(key)];
            return text === undefined ? undefined : deepFreeze(JSON.parse(text));
          }
          return Reflect.get(target, key);
        },
      });
    }
  }
  return { SharedArray };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
