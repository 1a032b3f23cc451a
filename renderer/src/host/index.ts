// The one way the renderer reaches the machine. Inside Electron the preload has put `window.studio` on the
// page; in a browser the page was opened from `rnn-studio serve` with `?token=…` in its URL.
import type { HostApi } from '../../../core/api/contract.js';
import { createWebClient } from './webClient.js';

export { HostCallError } from './webClient.js';

declare global {
  interface Window {
    studio?: HostApi;
  }
}

function tokenFromPage(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('rnn-studio-token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('rnn-studio-token') ?? '';
}

export const host: HostApi = window.studio ?? createWebClient(window.location.origin, tokenFromPage());
