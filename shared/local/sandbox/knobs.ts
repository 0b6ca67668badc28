import { mulberry32 } from "./random.ts";
import type { SandboxKnobs } from "./types.ts";

export const DEFAULT_KNOBS: SandboxKnobs = {
  latencyMs: 0,
  throttleRate: 0,
  faultRate: 0,
  seed: 1,
  failOperations: [],
};

export type Verdict = "ok" | "throttle" | "fault";

/**
 * Decides, call by call, whether the sandbox misbehaves. One random draw per call keeps
 * a run reproducible: the same seed and the same sequence of calls fail the same way.
 */
export class KnobState {
  private knobs: SandboxKnobs;
  private random: () => number;

  constructor(initial: Partial<SandboxKnobs> = {}) {
    this.knobs = { ...DEFAULT_KNOBS, ...initial };
    this.random = mulberry32(this.knobs.seed);
  }

  get current(): Readonly<SandboxKnobs> {
    return this.knobs;
  }

  set(update: Partial<SandboxKnobs>): void {
    const reseed = update.seed !== undefined;
    this.knobs = { ...this.knobs, ...update };
    if (reseed) this.random = mulberry32(this.knobs.seed);
  }

  decide(operation: string): Verdict {
    const r = this.random();
    if (this.knobs.failOperations.includes(operation)) return "fault";
    if (r < this.knobs.throttleRate) return "throttle";
    if (r < this.knobs.throttleRate + this.knobs.faultRate) return "fault";
    return "ok";
  }
}
