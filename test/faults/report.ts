// What the fault suites share: the per-scenario table they print, and a gate that holds one request while a test
// kills the process that sent it.

/** Rows as an aligned text table (one column per key seen in any row). */
export function table(list: Record<string, unknown>[]): string {
  if (!list.length) return '(none)';
  const cols = [...new Set(list.flatMap((r) => Object.keys(r)))];
  const width = cols.map((c) => Math.max(c.length, ...list.map((r) => String(r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i] as number)).join('  ');
  return [line(cols), ...list.map((r) => line(cols.map((c) => String(r[c] ?? ''))))].join('\n');
}

/** A gate that holds the first matching request until released; `hit` resolves when it is holding. */
export function gate() {
  let release: (ok: boolean) => void = () => {};
  let hit: () => void = () => {};
  const hitP = new Promise<void>((r) => {
    hit = r;
  });
  const released = new Promise<boolean>((r) => {
    release = r;
  });
  let armed = true;
  return {
    hit: hitP,
    release,
    /** Use inside a hold hook: holds once, then lets everything through. */
    async hold(matches: boolean, rejectOnRelease = false): Promise<void> {
      if (!armed || !matches) return;
      armed = false;
      hit();
      const ok = await released;
      if (rejectOnRelease && ok) throw new Error('the client is gone; this request is not processed');
    },
  };
}
