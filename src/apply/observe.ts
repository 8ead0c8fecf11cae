import type { Session } from '../openstack/identity.js';
import type { GlanceClient, GlanceImage } from '../openstack/image.js';

export interface Observation {
  images: GlanceImage[];
  projectId?: string;
  importMethods: string[];
}

/**
 * Everything the planner needs from the cloud, in as few requests as pagination allows: the managed images
 * (visible and hidden) and the import methods.
 */
export async function observe(cloud: { session: Session; glance: GlanceClient }, tag: string): Promise<Observation> {
  const token = await cloud.session.currentToken();
  const [images, info] = await Promise.all([cloud.glance.listAllImages({ tags: [tag] }), cloud.glance.importInfo()]);
  return { images, importMethods: info.methods, ...(token.projectId ? { projectId: token.projectId } : {}) };
}

const NAMES_PER_QUERY = 40;

/**
 * Images users see under the names the plan gives out, whoever owns them (`name=in:"A","B"`, 40 names a
 * query); the planner warns about the ones it does not manage. A name Glance's `in:` filter cannot quote
 * (one holding `"` or `\`) is not asked for.
 */
export async function imagesNamed(glance: GlanceClient, names: readonly string[]): Promise<GlanceImage[]> {
  const quotable = [...new Set(names)].filter((name) => !/["\\]/.test(name));
  const batches: string[][] = [];
  for (let i = 0; i < quotable.length; i += NAMES_PER_QUERY) batches.push(quotable.slice(i, i + NAMES_PER_QUERY));
  const found = await Promise.all(
    batches.map((batch) =>
      glance.listImages({ visibility: 'all', os_hidden: false, name: `in:${batch.map((n) => `"${n}"`).join(',')}` }),
    ),
  );
  return found.flat();
}
