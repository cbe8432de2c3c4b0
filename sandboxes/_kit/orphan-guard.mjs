/**
 * Preloaded (`node --import`) into every process the kit starts for the learner: the process exits
 * when the kit process that started it goes away. Nothing else is changed.
 *
 * Why: a runtime may end a kit process with a kill that reaches only that one process (no process
 * groups, no signal handlers run). Its children would live on, holding their ports, so the next
 * Run would find "address in use". Polling our parent is the one signal every runtime gives.
 */
const original = process.ppid;

function parentGone() {
  if (process.ppid !== original) return true; // re-parented: the original parent has exited
  try {
    process.kill(original, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

if (original > 1) {
  setInterval(() => {
    if (parentGone()) process.exit(0);
  }, 250).unref();
}
