/** What a delivery is addressed to: every connection of a user, or every member of a room. */
export type RouteKind = 'user' | 'room';

/**
 * How a server process reaches the connections other processes hold (cluster.ts): it announces
 * which users and rooms it holds, and hands over deliver frames for the others to deliver.
 */
export interface Router {
  /** `key` got its first local connection (`on`) or lost its last one. */
  presence(kind: RouteKind, key: string, on: boolean): void;
  /** A deliver frame (serialised) for `key`'s connections in other processes. */
  forward(kind: RouteKind, key: string, text: string): void;
}

/** Connections by key (users, rooms), announcing first arrivals and last departures to the router. */
export class Directory<C> {
  readonly byKey = new Map<string, Set<C>>();

  constructor(private readonly kind: RouteKind, private readonly router: Router | undefined) {}

  add(key: string, c: C): void {
    let set = this.byKey.get(key);
    if (!set) {
      this.byKey.set(key, (set = new Set()));
      this.router?.presence(this.kind, key, true);
    }
    set.add(c);
  }

  remove(key: string, c: C): void {
    const set = this.byKey.get(key);
    if (!set?.delete(c) || set.size > 0) return;
    this.byKey.delete(key);
    this.router?.presence(this.kind, key, false);
  }
}
