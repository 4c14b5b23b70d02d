/**
 * Fault injection shared by the channel fakes. Channels throttle, fail with 5xx and go silent;
 * a client is only proven robust if the fakes do the same, reproducibly. A FaultPlan decides,
 * once per API call, whether that call fails and how: first from faults queued with `failNext`
 * (exact tests), else from a seeded draw at `rate` (soak tests, the demo). No Math.random: the
 * same seed gives the same faults on every run.
 */
import { createPrng, type Prng } from "../prng";

export type FaultKind = "throttle" | "server-error" | "timeout";

export const FAULT_KINDS: readonly FaultKind[] = ["throttle", "server-error", "timeout"];

/**
 * One failure the fake injects into an API call. `applied` matters for timeouts only: the fake
 * carried the request out before going silent, so the caller cannot tell from the silence whether
 * its write happened (what makes naive clients create duplicates).
 */
export interface Fault {
  kind: FaultKind;
  applied: boolean;
}

/** A fault to queue: a kind (a timeout's `applied` is then drawn), or the exact fault. */
export type FaultRequest = FaultKind | { kind: FaultKind; applied?: boolean };

export interface FaultPlanOptions {
  /** Share of API calls that fail, 0..1. Default 0: no random faults. */
  rate?: number;
  /** Which faults the random draw picks from. Default all three. */
  kinds?: readonly FaultKind[];
  /** Seed of the draw. Default 1. */
  seed?: number;
  /** How long a timed-out call stays silent at most before answering 504. Default 30 s. */
  timeoutMs?: number;
  /** Share of timeouts whose request was carried out before the silence. Default 0.5. */
  appliedTimeoutRate?: number;
}

/** One injected fault, with the number of the API call (1-based) it hit. */
export interface InjectedFault extends Fault {
  call: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export class FaultPlan {
  /** Share of API calls that fail at random; may be changed between calls. */
  rate: number;
  kinds: readonly FaultKind[];
  timeoutMs: number;
  readonly appliedTimeoutRate: number;
  /** Every fault injected so far, in order. */
  readonly injected: InjectedFault[] = [];
  private readonly queued: Fault[] = [];
  private readonly prng: Prng;
  private calls = 0;

  constructor(options: FaultPlanOptions = {}) {
    this.rate = options.rate ?? 0;
    this.kinds = options.kinds ?? FAULT_KINDS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.appliedTimeoutRate = options.appliedTimeoutRate ?? 0.5;
    if (!(this.rate >= 0 && this.rate <= 1)) throw new RangeError(`FaultPlan: rate must be between 0 and 1, got ${this.rate}`);
    if (this.kinds.length === 0 && this.rate > 0) throw new RangeError("FaultPlan: a rate above 0 needs at least one fault kind");
    this.prng = createPrng(options.seed ?? 1);
  }

  /** The next API calls fail with these faults, in order, before the plan goes back to its rate. */
  failNext(...faults: FaultRequest[]): void {
    for (const fault of faults) {
      const kind = typeof fault === "string" ? fault : fault.kind;
      const applied = typeof fault === "string" ? undefined : fault.applied;
      this.queued.push({ kind, applied: applied ?? this.drawApplied(kind) });
    }
  }

  /** Drops queued faults and random ones (rate 0). */
  clear(): void {
    this.queued.length = 0;
    this.rate = 0;
  }

  /** Called once per API call: the fault for it, or null when it goes through. */
  next(): Fault | null {
    this.calls += 1;
    const fault = this.queued.shift() ?? this.draw();
    if (fault) this.injected.push({ ...fault, call: this.calls });
    return fault;
  }

  private draw(): Fault | null {
    if (this.rate === 0 || !this.prng.chance(this.rate)) return null;
    const kind = this.prng.pick(this.kinds);
    return { kind, applied: this.drawApplied(kind) };
  }

  /** Only a timeout can hide a write that happened; throttles and 5xx refuse before doing anything. */
  private drawApplied(kind: FaultKind): boolean {
    return kind === "timeout" && this.prng.chance(this.appliedTimeoutRate);
  }
}

/** A plan from options, or the plan itself (so two fakes can share one). */
export function toFaultPlan(faults: FaultPlan | FaultPlanOptions | undefined): FaultPlan {
  return faults instanceof FaultPlan ? faults : new FaultPlan(faults);
}

/**
 * What a timed-out call looks like from the caller's side: no answer until its AbortSignal fires
 * (then the fetch rejects with the signal's reason, as fetch does), or until `timeoutMs` passes, then
 * a gateway's 504 in plain text (a proxy gave up, not the API: the body is not the API's JSON).
 */
export function silence(request: Request, timeoutMs: number): Promise<Response> {
  const signal = request.signal;
  return new Promise<Response>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(new Response("504 Gateway Time-out", { status: 504, headers: { "content-type": "text/plain" } }));
    }, timeoutMs);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
