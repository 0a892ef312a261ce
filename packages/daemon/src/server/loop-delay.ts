/**
 * How late the daemon's event loop runs its timers: every event, answer and fan-out waits behind
 * whatever synchronous work is running, so this delay bounds how fresh a scoreboard can be.
 * perf_hooks samples it (a libuv timer every `resolutionMs`; it records the whole interval, so the
 * period is taken off to leave the delay); each read covers the time since the previous
 * read, as prom-client's event-loop-lag metrics do, so a scraper (or the server bench) sees the
 * window it asked about rather than the daemon's whole life.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface LoopDelay {
  /** Milliseconds, over the window since the previous read. */
  p50: number;
  p99: number;
  max: number;
  /** Samples in that window. */
  count: number;
}

export class LoopDelayMonitor {
  private readonly h: IntervalHistogram;

  constructor(private readonly resolutionMs = 10) {
    this.h = monitorEventLoopDelay({ resolution: resolutionMs });
    this.h.enable();
  }

  /** The delays since the previous read (ms); starts a new window. */
  read(): LoopDelay {
    const ms = (ns: number): number => (this.h.count === 0 ? 0 : Math.max(0, Math.round((ns / 1e6 - this.resolutionMs) * 100) / 100));
    const r = { p50: ms(this.h.percentile(50)), p99: ms(this.h.percentile(99)), max: ms(this.h.max), count: this.h.count };
    this.h.reset();
    return r;
  }

  stop(): void {
    this.h.disable();
  }
}
