// Entry of a training run's engine process in the desktop app: an Electron utilityProcess (a Node
// process Electron manages, with no window and no access to the UI) speaking the same runner protocol as
// the CLI's forked process, over process.parentPort.
import { serveOverParentPort } from '../../main/training/utilityRunner.js';

// Let the last messages leave before the process ends.
serveOverParentPort(process.parentPort, () => setTimeout(() => process.exit(0), 50).unref());
