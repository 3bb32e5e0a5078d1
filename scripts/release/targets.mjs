// The six krew platforms the release builds, and the names of what it writes.
export const TARGETS = ['linux-amd64', 'linux-arm64', 'darwin-amd64', 'darwin-arm64', 'windows-amd64', 'windows-arm64'];

export const PLUGIN = /** @type {const} */ ('dhakacart');
export const REPO_URL = 'https://github.com/dhakacart/kubectl-dhakacart';

/**
 * {os, arch} of "linux-amd64".
 * @param {string} target
 * @returns {{ os: string, arch: string }}
 */
export function splitTarget(target) {
  const [os = '', arch = ''] = target.split('-');
  return { os, arch };
}

/**
 * "kubectl-dhakacart" or "kubectl-dhakacart.exe": the binary's name inside the archive (krew's `bin`).
 * @param {string} target
 */
export function binName(target) {
  return splitTarget(target).os === 'windows' ? 'kubectl-dhakacart.exe' : 'kubectl-dhakacart';
}

/**
 * kubectl-dhakacart_v0.1.0_linux_amd64.tar.gz (.zip for windows).
 * @param {string} target
 * @param {string} version
 */
export function archiveName(target, version) {
  const { os, arch } = splitTarget(target);
  return `kubectl-dhakacart_v${version}_${os}_${arch}.${os === 'windows' ? 'zip' : 'tar.gz'}`;
}

/**
 * @param {string} tag
 * @param {string} archive
 */
export function releaseUri(tag, archive) {
  return `${REPO_URL}/releases/download/${tag}/${archive}`;
}
