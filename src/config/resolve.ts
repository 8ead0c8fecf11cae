import path from 'node:path';
import { resolveAuth } from './auth.js';
import { cloudError, type CloudOrigin } from './cloud-origin.js';
import { checkHttpUrl } from './fields.js';
import { compact } from '../util/objects.js';
import type { CloudEntry } from './schema.js';
import type { EndpointInterface, ResolvedCloud, TlsConfig } from './types.js';

const INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/** Turns a validated cloud entry into the loader's result. */
export function resolveCloud(
  entry: CloudEntry,
  origin: CloudOrigin,
  sources: string[],
  homeDir: string,
): ResolvedCloud {
  const imageEndpointOverride = entry.image_endpoint_override ?? entry.image_endpoint;
  return compact({
    name: origin.name,
    sources,
    auth: resolveAuth(entry, origin),
    regionName: entry.region_name,
    interface: resolveInterface(entry.interface, origin),
    imageEndpointOverride:
      imageEndpointOverride === undefined
        ? undefined
        : checkHttpUrl(imageEndpointOverride, 'image_endpoint_override', origin),
    tls: resolveTls(entry, homeDir, origin),
  });
}

/** `public` by default; keystoneauth also takes the v2 catalog spellings `publicURL`, `internalURL`, `adminURL`. */
function resolveInterface(value: string | undefined, origin: CloudOrigin): EndpointInterface {
  if (value === undefined) return 'public';
  const name = value.toLowerCase().replace(/url$/, '');
  const known = INTERFACES.find((candidate) => candidate === name);
  if (known === undefined) {
    throw cloudError(origin, `interface "${value}" is not one of ${INTERFACES.join(', ')}`);
  }
  return known;
}

/** As openstacksdk: `insecure: true` wins over `verify`; paths may start with `~/`. */
function resolveTls(entry: CloudEntry, homeDir: string, origin: CloudOrigin): TlsConfig {
  if (entry.key !== undefined && entry.cert === undefined) {
    throw cloudError(origin, 'key is set without cert (the client certificate it belongs to)');
  }
  const expand = (file: string | undefined): string | undefined =>
    file !== undefined && (file === '~' || file.startsWith('~/')) ? path.join(homeDir, file.slice(1)) : file;
  return compact({
    verify: entry.insecure !== true && entry.verify !== false,
    caCertFile: expand(entry.cacert),
    certFile: expand(entry.cert),
    keyFile: expand(entry.key),
  });
}
