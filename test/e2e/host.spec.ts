// The web host as a browser meets it: refused without its token, the studio with it.
import { expect, test } from '@playwright/test';
import { openStudio, screenshot } from './studio.js';

test('without the token the host answers 401 and says how to get in', async ({ request }) => {
  const response = await request.get('/');
  expect(response.status()).toBe(401);
  expect((await response.json()).error.message).toContain('rnn-studio serve');
  const call = await request.post('/api/call/app.info', { data: {} });
  expect(call.status()).toBe(401);
});

test('with the token the studio page loads, talks to its host, and sets no remote content', async ({
  page,
}) => {
  const remote: string[] = [];
  page.on('request', (req) => {
    if (
      !req.url().startsWith('http://127.0.0.1') &&
      !req.url().startsWith('ws://127.0.0.1') &&
      !req.url().startsWith('data:') &&
      !req.url().startsWith('blob:')
    )
      remote.push(req.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openStudio(page);
  await expect(page).toHaveTitle(/RNN Studio/);
  const info = await page.evaluate(async () => {
    const token = new URLSearchParams(location.search).get('token');
    const response = await fetch('/api/call/app.info', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    return response.json();
  });
  expect(info.ok).toBe(true);
  expect(info.result.host).toBe('web');
  await page.waitForTimeout(1500);
  await screenshot(page, 'host-first-start');
  expect(remote).toEqual([]);
  expect(errors).toEqual([]);
});
