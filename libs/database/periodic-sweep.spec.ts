import { PeriodicSweep } from './periodic-sweep.js';

/** A sweep that would tick once an hour and is nudged within 5 ms; it counts its sweeps, and can be held mid-sweep. */
class CountingSweep extends PeriodicSweep {
  sweeps = 0;
  held?: Promise<void>;

  constructor(backgroundJobs: boolean) {
    super({ everyMs: 3_600_000, batch: 10, soonMs: 5 });
    Object.assign(this, { config: { backgroundJobs } });
  }

  protected async sweepBatch(): Promise<number> {
    this.sweeps++;
    await this.held;
    return 0;
  }
}

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 2_000) throw new Error('the sweep never came');
    await pause(5);
  }
}

describe('PeriodicSweep.nudge', () => {
  let sweep: CountingSweep;
  afterEach(() => sweep.onModuleDestroy());

  it('sweeps soon after a nudge instead of at the next tick, once for nudges that come together', async () => {
    sweep = new CountingSweep(true);
    sweep.onApplicationBootstrap();
    for (let i = 0; i < 5; i++) sweep.nudge();
    await until(() => sweep.sweeps === 1);
    await pause(30);
    expect(sweep.sweeps).toBe(1);
  });

  it('sweeps once more after the sweep in flight when nudged during it, so that nothing nudged is left to the tick', async () => {
    sweep = new CountingSweep(true);
    sweep.onApplicationBootstrap();
    let release!: () => void;
    sweep.held = new Promise((done) => (release = done));
    sweep.nudge();
    await until(() => sweep.sweeps === 1);
    sweep.nudge();
    await pause(20); // the nudge's wait is over while the first sweep still runs
    sweep.nudge();
    expect(sweep.sweeps).toBe(1);
    release();
    await until(() => sweep.sweeps === 2);
    await pause(30);
    expect(sweep.sweeps).toBe(2);
  });

  it('does nothing while the background jobs are off, nor once the sweep has stopped', async () => {
    sweep = new CountingSweep(false);
    sweep.onApplicationBootstrap();
    sweep.nudge();
    const stopped = new CountingSweep(true);
    stopped.onApplicationBootstrap();
    await stopped.onModuleDestroy();
    stopped.nudge();
    await pause(30);
    expect(sweep.sweeps).toBe(0);
    expect(stopped.sweeps).toBe(0);
  });
});
