import { clearGroupedInterval, GroupedInterval, groupedInterval } from '../lib/node/interval-groups';

const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** Resolves once `done()` holds, checked on each turn of the event loop (bounded by jest's timeout). */
function until(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (done()) resolve();
      else setImmediate(check);
    };
    check();
  });
}

/** VU intervals on shared timers (lib/node/interval-groups.ts): on real timers, without wall-clock assertions. */
describe('grouped intervals', () => {
  test('intervals of one period started in the same millisecond share one timer, fire in start order, and leave one by one', async () => {
    const before = timeouts();
    const calls: string[] = [];
    const now = performance.now();
    const handles: Record<string, GroupedInterval> = {};
    const b: () => void = () => {
      calls.push('b');
      if (calls.filter((c) => c === 'b').length === 2) clearGroupedInterval(handles.b as GroupedInterval); // leaves from its own call
    };
    handles.a = groupedInterval(() => calls.push('a'), 5, now);
    handles.b = groupedInterval(b, 5, now);
    handles.c = groupedInterval(() => calls.push('c'), 5, now);
    expect(handles.a.group).toBe(handles.b.group);
    expect(handles.c.group).toBe(handles.a.group);
    expect(timeouts()).toBe(before + 1);
    // another period, or another millisecond, is another timer
    const other = groupedInterval(() => undefined, 7, now);
    const later = groupedInterval(() => undefined, 5, now + 1);
    expect(other.group).not.toBe(handles.a.group);
    expect(later.group).not.toBe(handles.a.group);
    expect(timeouts()).toBe(before + 3);
    clearGroupedInterval(other);
    clearGroupedInterval(later);
    expect(timeouts()).toBe(before + 1);

    await until(() => calls.filter((c) => c === 'a').length >= 4);
    // each fire calls the members in start order; b left after its second call, a and c went on
    expect(calls.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(calls.filter((c) => c === 'b')).toHaveLength(2);
    expect(calls.slice(6).every((c) => c !== 'b')).toBe(true);
    const running = timeouts(); // (counted again: the test runner's own timers come and go across an await)
    clearGroupedInterval(handles.a);
    clearGroupedInterval(handles.a); // twice: no effect
    expect(timeouts()).toBe(running);
    clearGroupedInterval(handles.c);
    expect(timeouts()).toBe(running - 1); // the last member out stops the timer
    // a group whose members all left takes no one more: the next interval starts its own timer
    const again = groupedInterval(() => undefined, 5, now + 1); // the millisecond of `later`, which left
    expect(again.group).not.toBe(later.group);
    expect(timeouts()).toBe(running);
    clearGroupedInterval(again);
    expect(timeouts()).toBe(running - 1);
  });
});
