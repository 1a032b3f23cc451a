// Linux without a GPU driver Dawn accepts can still run the webgpu rung on SwiftShader, the software
// Vulkan driver that Chromium ships (Debian's `chromium`: libvk_swiftshader.so and its ICD file). The
// Vulkan loader only uses it when VK_ICD_FILENAMES names that ICD file, which no user should have to know:
// the rung points it there itself, and only after the system's own drivers offered no adapter, so a real
// GPU is never hidden behind the emulator.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's and Ubuntu's chromium packages put it. */
const KNOWN_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** The ICD file of Chromium's SwiftShader driver on this machine, or null. */
export function swiftShaderIcd(): string | null {
  if (existsSync(KNOWN_ICD)) return KNOWN_ICD;
  for (const pkg of ['chromium-common', 'chromium']) {
    try {
      const files = execFileSync('dpkg', ['-L', pkg], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
      });
      const icd = files.split('\n').find((f) => f.endsWith('vk_swiftshader_icd.json'));
      if (icd && existsSync(icd)) return icd;
    } catch {
      // not a Debian system, or the package is not installed
    }
  }
  return null;
}

/**
 * Points the Vulkan loader at SwiftShader when that can help: on Linux, when the user has not chosen the
 * drivers themselves (VK_ICD_FILENAMES or VK_DRIVER_FILES set) and the ICD file is there. Returns the
 * file it chose, or null when it changed nothing. Dawn must then be created anew: the loader reads the
 * variable when an instance is made.
 */
export function useSoftwareVulkan(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform !== 'linux' || env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return null;
  const icd = swiftShaderIcd();
  if (icd) env.VK_ICD_FILENAMES = icd;
  return icd;
}
