// Frames run synchronously in the suites (each store append renders at once),
// unless a test passes its own scheduler.
import { setDefaultScheduler, syncScheduler } from "../src/frame";

setDefaultScheduler(syncScheduler);
