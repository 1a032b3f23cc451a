// The preload: puts one small, typed object on the page (`window.studio`, the HostApi of
// core/api/contract.ts) and nothing else. Main checks every call's sender and payload. Runs sandboxed,
// bundled as one CommonJS file.
import { contextBridge, ipcRenderer } from 'electron';
import { createElectronBridge } from './bridge.js';

contextBridge.exposeInMainWorld('studio', createElectronBridge(ipcRenderer));
