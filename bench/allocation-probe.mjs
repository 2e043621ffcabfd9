// Preloaded into a server by `npm run bench -- --ladder --allocations` (`node --import` this file):
// between one SIGUSR2 and the next it counts the promises the process creates (async_hooks) and
// samples every allocation, the ones collected since included (V8's sampling heap profiler with
// includeObjectsCollectedBy{Minor,Major}GC). At the second it writes
// `{ promises, bytes }` to $ALLOCATION_PROBE_DIR/<pid>.json. Unlike CPU time, both counts
// follow the work, not the machine's load: the same requests allocate the same bytes on a busy host.
import { createHook } from 'node:async_hooks';
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.ALLOCATION_PROBE_DIR;
if (dir) {
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises += 1;
    },
  });
  const session = new Session();
  session.connect();
  let probing = false;
  const toggle = async () => {
    if (!probing) {
      probing = true;
      promises = 0;
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      hook.enable();
      return;
    }
    hook.disable();
    probing = false;
    const { profile } = await session.post('HeapProfiler.stopSampling');
    let bytes = 0;
    const walk = (node) => {
      bytes += node.selfSize;
      node.children.forEach(walk);
    };
    walk(profile.head);
    // Whole or not at all: the bench reads the file as soon as it exists.
    const file = join(dir, `${process.pid}.json`);
    writeFileSync(`${file}.partial`, JSON.stringify({ promises, bytes }));
    renameSync(`${file}.partial`, file);
  };
  process.on('SIGUSR2', () => void toggle());
}
