import path from 'node:path';
import { resolveAuth } from './auth.js';
import { cloudError, type CloudContext } from './cloud-context.js';
import { checkHttpUrl, compact } from './fields.js';
import type { CloudEntry } from './schema.js';
import type { EndpointInterface, ResolvedCloud, TlsConfig } from './types.js';

const INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/** Turns a validated cloud entry into the loader's result. */
export function resolveCloud(
  entry: CloudEntry,
  context: CloudContext,
  sources: string[],
  homeDir: string,
): ResolvedCloud {
  const imageEndpointOverride = entry.image_endpoint_override ?? entry.image_endpoint;
  return compact({
    name: context.name,
    sources,
    auth: resolveAuth(entry, context),
    regionName: entry.region_name,
    interface: resolveInterface(entry.interface, context),
    imageEndpointOverride:
      imageEndpointOverride === undefined
        ? undefined
        : checkHttpUrl(imageEndpointOverride, 'image_endpoint_override', context),
    tls: resolveTls(entry, homeDir, context),
  });
}

/** `public` by default; keystoneauth also takes the v2 catalog spellings `publicURL`, `internalURL`, `adminURL`. */
function resolveInterface(value: string | undefined, context: CloudContext): EndpointInterface {
  if (value === undefined) return 'public';
  const name = value.toLowerCase().replace(/url$/, '');
  const known = INTERFACES.find((candidate) => candidate === name);
  if (known === undefined) {
    throw cloudError(context, `interface "${value}" is not one of ${INTERFACES.join(', ')}`);
  }
  return known;
}

/** As openstacksdk: `insecure: true` wins over `verify`; paths may start with `~/`. */
function resolveTls(entry: CloudEntry, homeDir: string, context: CloudContext): TlsConfig {
  if (entry.key !== undefined && entry.cert === undefined) {
    throw cloudError(context, 'key is set without cert (the client certificate it belongs to)');
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
