// The webgpu rung on Linux without a GPU driver: Chromium's SwiftShader is used only when the user chose
// no Vulkan drivers themselves, and the reason given when there is no adapter says what to do.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { swiftShaderIcd, useSoftwareVulkan } from '../../../../main/engine/softwareVulkan.js';
import { noAdapterReason } from '../../../../main/engine/webgpu.js';

describe('software Vulkan (SwiftShader) for the webgpu rung', () => {
  it('points the loader at the ICD file on Linux when nothing was chosen', () => {
    const env: NodeJS.ProcessEnv = {};
    const icd = useSoftwareVulkan(env, 'linux');
    expect(icd).toBe(swiftShaderIcd());
    expect(env.VK_ICD_FILENAMES).toBe(icd ?? undefined);
    // Where chromium is installed (Debian puts the file in /usr/lib/chromium), the file is found.
    if (existsSync('/usr/lib/chromium/vk_swiftshader_icd.json'))
      expect(icd).toBe('/usr/lib/chromium/vk_swiftshader_icd.json');
  });

  it('leaves drivers the user chose, and other platforms, alone', () => {
    const chosen: NodeJS.ProcessEnv = { VK_ICD_FILENAMES: '/opt/my_icd.json' };
    expect(useSoftwareVulkan(chosen, 'linux')).toBeNull();
    expect(chosen.VK_ICD_FILENAMES).toBe('/opt/my_icd.json');
    const drivers: NodeJS.ProcessEnv = { VK_DRIVER_FILES: '/opt/other_icd.json' };
    expect(useSoftwareVulkan(drivers, 'linux')).toBeNull();
    expect(drivers.VK_ICD_FILENAMES).toBeUndefined();
    const mac: NodeJS.ProcessEnv = {};
    expect(useSoftwareVulkan(mac, 'darwin')).toBeNull();
    expect(mac).toEqual({});
  });

  it('says what to do when there is no adapter', () => {
    expect(noAdapterReason({}, 'linux')).toBe(
      'no WebGPU adapter: no Vulkan driver Dawn accepts; without a GPU, installing chromium and ' +
        "libvulkan1 gives a slow software one (Chromium's SwiftShader, found by itself)",
    );
    expect(noAdapterReason({ VK_ICD_FILENAMES: '/nowhere.json' }, 'linux')).toBe(
      'no WebGPU adapter: Dawn accepts no Vulkan driver that VK_ICD_FILENAMES names (/nowhere.json); ' +
        'is the Vulkan loader (libvulkan1) installed?',
    );
    expect(noAdapterReason({}, 'win32')).toBe('no WebGPU adapter');
  });
});
