/**
 * Connections open over a k6 run, from k6's own samples: a connection opens when its dial ends
 * (`ws_connecting` sample time + its duration: k6 stamps the dial's start) and closes at its
 * `ws_session_duration` sample (k6 stamps the end of the session). Pure.
 */
export class OpenTimeline {
  private readonly opens: number[] = [];
  private readonly closes: number[] = [];

  opened(atMs: number): void {
    this.opens.push(atMs);
  }

  closed(atMs: number): void {
    this.closes.push(atMs);
  }

  /**
   * Open at the end of each of `seconds` seconds from `startMs`; the most open at once (a close and
   * an open at the same instant: the close first); and those never closed.
   */
  tally(startMs: number, seconds: number): { openAt: number[]; peak: number; final: number } {
    const opens = [...this.opens].sort((a, b) => a - b);
    const closes = [...this.closes].sort((a, b) => a - b);
    let open = 0;
    let peak = 0;
    let o = 0;
    let c = 0;
    const openAt: number[] = [];
    for (let sec = 0; sec < seconds; sec++) {
      const end = startMs + (sec + 1) * 1000;
      for (;;) {
        const nextOpen = opens[o] ?? Infinity;
        const nextClose = closes[c] ?? Infinity;
        if (nextClose < end && nextClose <= nextOpen) {
          open--;
          c++;
        } else if (nextOpen < end) {
          peak = Math.max(peak, ++open);
          o++;
        } else break;
      }
      openAt.push(Math.max(0, open));
    }
    return { openAt, peak, final: Math.max(0, opens.length - closes.length) };
  }
}
