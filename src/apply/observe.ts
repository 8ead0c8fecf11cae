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
