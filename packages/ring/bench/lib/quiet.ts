import { readFileSync } from 'node:fs';

function cpuTimes(): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3]! + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** Fraction of all CPUs busy over the next `ms` milliseconds (null without /proc/stat). */
export async function busyFraction(ms = 300): Promise<number | null> {
  const a = cpuTimes();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuTimes();
  if (a === null || b === null || b.total === a.total) return null;
  return (b.busy - a.busy) / (b.total - a.total);
}

/**
 * Waits (up to maxWaitMs) until the machine is quiet: less than `threshold` of all CPUs busy
 * with other work. The machine is shared; numbers taken while others run are not comparable.
 * Returns whether it got quiet.
 */
export async function waitForQuiet(threshold = 0.1, maxWaitMs = 30_000): Promise<boolean> {
  const end = Date.now() + maxWaitMs;
  for (;;) {
    const busy = await busyFraction();
    if (busy === null || busy < threshold) return true;
    if (Date.now() > end) return false;
  }
}
