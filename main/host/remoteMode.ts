// Where `rnn-studio serve` may listen. Loopback (the default) needs nothing more. Any other address is
// remote mode: it must be asked for with --allow-remote, it serves HTTPS (a fresh self-signed certificate
// whose SHA-256 fingerprint is printed, or the user's own with --tls-cert/--tls-key), and the Host header
// must still be one of this machine's names, so the token never crosses a network in the clear and a
// page elsewhere cannot reach the studio through DNS rebinding.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { generate } from 'selfsigned';

export interface ServeAddressOptions {
  host: string;
  port: number;
  allowRemote?: boolean;
  /** More names the Host header may carry (a DNS name of this machine, say). */
  allowHosts?: string[];
  tlsCert?: string;
  tlsKey?: string;
}

export interface ServePlan {
  remote: boolean;
  /** PEM certificate and key when serving HTTPS. */
  tls?: { cert: string; key: string };
  /** SHA-256 fingerprint of the served certificate, for the user to compare in the browser. */
  fingerprint?: string;
  selfSigned: boolean;
  /** Names and addresses the Host header may carry besides loopback. */
  hostNames: string[];
  /** The host in the printed URL. */
  shownHost: string;
  /** Printed before serving in remote mode. */
  warning?: string;
}

/** Refusal to start as asked, with the reason and the way out. */
export class ServeRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeRefusal';
  }
}

export interface MachineNames {
  hostname: string;
  addresses: string[];
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** This machine's own name and its non-loopback addresses, as other machines reach it. */
export function machineNames(): MachineNames {
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      // Link-local IPv6 needs a zone id that no URL or Host header carries.
      if (!entry.internal && !entry.address.toLowerCase().startsWith('fe80:')) addresses.push(entry.address);
    }
  }
  return { hostname: hostname(), addresses };
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServeRefusal(`Cannot read the TLS ${what} ${path}: ${(error as Error).message}`);
  }
}

function userCertificate(
  certPath: string,
  keyPath: string,
): { cert: string; key: string; fingerprint: string } {
  const cert = readPem(certPath, 'certificate');
  const key = readPem(keyPath, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw new ServeRefusal(`--tls-cert ${certPath} is not a PEM certificate: ${(error as Error).message}`);
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new ServeRefusal(`--tls-key ${keyPath} is not a PEM private key: ${(error as Error).message}`);
  }
  if (!matches) throw new ServeRefusal(`--tls-key ${keyPath} is not the key of the certificate ${certPath}.`);
  return { cert, key, fingerprint: x509.fingerprint256 };
}

/**
 * A self-signed certificate for these names, valid 90 days (a new one, with a new fingerprint, each start).
 */
export async function selfSignedCertificate(
  names: string[],
): Promise<{ cert: string; key: string; fingerprint: string }> {
  const altNames = [...new Set([...names, 'localhost', '127.0.0.1', '::1'])].map((name) =>
    isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name },
  );
  const generated = await generate(
    [
      { name: 'commonName', value: names[0] ?? 'localhost' },
      { name: 'organizationName', value: 'RNN Studio' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 90 * 24 * 3600 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return {
    cert: generated.cert,
    key: generated.private,
    fingerprint: new X509Certificate(generated.cert).fingerprint256,
  };
}

/** Decide how to serve, or refuse with a message that says why and what to do instead. */
export async function planServe(
  options: ServeAddressOptions,
  machine: MachineNames = machineNames(),
): Promise<ServePlan> {
  const remote = !isLoopbackHost(options.host);
  const tunnel = `ssh -L ${options.port || 5172}:127.0.0.1:${options.port || 5172} <this machine>`;
  if (remote && !options.allowRemote) {
    throw new ServeRefusal(
      `--host ${options.host} would let other machines reach the studio, which opens, ` +
        `saves and trains projects ` +
        `for anyone who has the token. Add --allow-remote to do that on purpose (the studio then ` +
        `serves HTTPS), or ` +
        `keep the default 127.0.0.1 and reach it from another machine through an SSH tunnel: ${tunnel}`,
    );
  }
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new ServeRefusal(
      '--tls-cert and --tls-key go together: give both, or neither for a self-signed certificate.',
    );
  }
  const given = isWildcard(options.host) ? [machine.hostname, ...machine.addresses] : [options.host];
  const hostNames = [...new Set([...given, ...(options.allowHosts ?? [])])];
  const shownHost = isWildcard(options.host) ? machine.hostname : options.host;
  const own =
    options.tlsCert && options.tlsKey ? userCertificate(options.tlsCert, options.tlsKey) : undefined;
  if (!remote) {
    return own
      ? {
          remote,
          tls: { cert: own.cert, key: own.key },
          fingerprint: own.fingerprint,
          selfSigned: false,
          hostNames,
          shownHost,
        }
      : { remote, selfSigned: false, hostNames, shownHost };
  }
  const certificate = own ?? (await selfSignedCertificate(hostNames));
  const warning =
    `Remote mode: the studio listens on ${options.host} and answers to ${hostNames.join(', ')} (and ` +
    `loopback). ` +
    `Anyone who can reach this port and has the token can open, save and train projects here. ` +
    `Safer: keep 127.0.0.1 and use an SSH tunnel (${tunnel}).`;
  return {
    remote,
    tls: { cert: certificate.cert, key: certificate.key },
    fingerprint: certificate.fingerprint,
    selfSigned: own === undefined,
    hostNames,
    shownHost,
    warning,
  };
}
