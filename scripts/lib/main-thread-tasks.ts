/**
 * Main-thread tasks of the page from a Chrome trace (category `toplevel`), with both their wall
 * time and their thread (CPU) time. On a shared, overloaded machine a task can last 100 ms of wall
 * time while the renderer ran for 5 ms of it (descheduled, or waiting for GC helper threads that
 * get no core): the long-task observer counts those too. Both figures are reported, side by side.
 */

/** Tasks over the threshold, by wall time and by thread time. */
export interface MainThreadTasks {
  /** Tasks whose wall time exceeded the threshold (what the long-task observer sees). */
  overByWall: number;
  /** Tasks whose thread (CPU) time exceeded the threshold: work the page itself did in one go. */
  overByThread: number;
  maxWallMs: number;
  maxThreadMs: number;
  /** Thread time of the longest task by wall time. */
  longestWallTaskThreadMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Reads the tasks of every renderer main thread in `trace` (Playwright's stopTracing output). */
export function mainThreadTasks(trace: Buffer, thresholdMs = 50): MainThreadTasks {
  // One event per line in Chromium's JSON trace. A long trace is larger than a string may be, so
  // lines are cut from the bytes, and only the two kinds of events needed are parsed.
  const events: TraceEvent[] = [];
  for (let start = 0; start < trace.length;) {
    let end = trace.indexOf(10, start);
    if (end < 0) end = trace.length;
    const line = trace.toString('utf8', start, end);
    start = end + 1;
    if (!line.includes('"ThreadControllerImpl::RunTask"') && !line.includes('"thread_name"'))
      continue;
    try {
      events.push(JSON.parse(line.trim().replace(/,$/, '')) as TraceEvent);
    } catch {
      // Not one whole event (the array's first or last line); not a task.
    }
  }
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`)
  );
  const tasks = events.filter(
    (e) =>
      e.ph === 'X' &&
      e.name === 'ThreadControllerImpl::RunTask' &&
      mainThreads.has(`${e.pid}:${e.tid}`)
  );
  const limit = thresholdMs * 1000;
  const figures = { overByWall: 0, overByThread: 0, maxWall: 0, maxThread: 0, longestThread: 0 };
  for (const { dur = 0, tdur = 0 } of tasks) {
    if (dur > limit) figures.overByWall++;
    if (tdur > limit) figures.overByThread++;
    if (dur > figures.maxWall) {
      figures.maxWall = dur;
      figures.longestThread = tdur;
    }
    figures.maxThread = Math.max(figures.maxThread, tdur);
  }
  return {
    overByWall: figures.overByWall,
    overByThread: figures.overByThread,
    maxWallMs: figures.maxWall / 1000,
    maxThreadMs: figures.maxThread / 1000,
    longestWallTaskThreadMs: figures.longestThread / 1000
  };
}
