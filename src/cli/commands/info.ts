import type { Logger } from 'pino';
import type { CloudContext } from '../context.js';

export interface CloudInfo {
  cloud: string;
  user?: string;
  project?: string;
  projectId?: string;
  roles: string[];
  imageEndpoint: string;
  importMethods: string[];
}

/** Authenticates, finds Glance and asks it which import methods it offers: a check that a cloud is usable. */
export async function cloudInfo(context: CloudContext, log: Logger): Promise<CloudInfo> {
  const token = await context.session.currentToken();
  const imageEndpoint = await context.session.endpoint('image', context.cloud.imageEndpointOverride);
  const { methods } = await context.glance.importInfo();
  log.debug({ imageEndpoint }, `authenticated to cloud ${context.cloud.name}`);
  return {
    cloud: context.cloud.name,
    user: token.userName ?? token.userId,
    project: token.projectName,
    projectId: token.projectId,
    roles: token.roles,
    imageEndpoint,
    importMethods: methods,
  };
}
