import type { Logger } from 'pino';
import { isHttpStatus } from '../../openstack/errors.js';
import type { GlanceImage } from '../../openstack/image.js';
import { ProjectDirectory, type Project } from '../../openstack/projects.js';
import type { CloudContext } from '../context.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../exit.js';
import type { ProgramOptions } from '../options.js';

type ShareFlags = 'shareAction' | 'shareTarget' | 'shareType' | 'shareDomain' | 'dryRun';
export type ShareOptions = Pick<ProgramOptions, ShareFlags> & { shareImage: string };

/**
 * Shares an image with a project, or with every project of a domain (`--share-*`, as in OIM), making the
 * image `shared` first when it is private; or takes the share back.
 */
export async function share(context: CloudContext, options: ShareOptions, log: Logger): Promise<number> {
  const target = options.shareTarget;
  if (!target) {
    throw new UsageError('--share-image needs --share-target (a project, or a domain with --share-type domain)');
  }
  const image = await findImage(context, options.shareImage);
  const directory = new ProjectDirectory(context.session);
  const projects = await targetProjects(directory, target, options);
  let failures = 0;

  if (options.shareAction === 'add' && image.visibility !== 'shared') {
    if (image.visibility !== 'private') {
      const visible = `image "${image.name}" is ${image.visibility}: every project sees it already`;
      throw new UsageError(`${visible}, there is nothing to share`);
    }
    log.info(`Setting visibility of '${image.name}' to 'shared'`);
    if (!options.dryRun) {
      await context.glance.updateImage(image.id, [{ op: 'replace', path: '/visibility', value: 'shared' }]);
    }
  }

  const members = image.visibility === 'shared' ? await context.glance.listMembers(image.id) : [];
  for (const project of projects) {
    const member = members.find((m) => m.member_id === project.id);
    try {
      if (options.shareAction === 'add') {
        if (!member) {
          log.info(`add - ${image.name} - ${project.name} (${project.domain_id})`);
          if (!options.dryRun) await context.glance.addMember(image.id, project.id);
        }
        if (member?.status !== 'accepted') {
          log.info(`accept - ${image.name} - ${project.name} (${project.domain_id})`);
          if (!options.dryRun) await context.glance.updateMember(image.id, project.id, 'accepted');
        }
      } else if (member) {
        log.info(`del - ${image.name} - ${project.name} (${project.domain_id})`);
        if (!options.dryRun) await context.glance.removeMember(image.id, project.id);
      }
    } catch (error) {
      failures++;
      const reason = error instanceof Error ? error.message : String(error);
      log.error(`sharing ${image.name} with ${project.name} failed: ${reason}`);
    }
  }
  return failures > 0 ? EXIT_FAILED : EXIT_OK;
}

async function findImage(context: CloudContext, nameOrId: string): Promise<GlanceImage> {
  try {
    return await context.glance.getImage(nameOrId);
  } catch (error) {
    if (!isHttpStatus(error, 404, 400)) throw error;
  }
  const matches = await context.glance.listAllImages({ name: nameOrId });
  if (matches.length === 0) throw new UsageError(`no image "${nameOrId}" in cloud "${context.cloud.name}"`);
  if (matches.length > 1) {
    const ids = matches.map((i) => i.id).join(', ');
    throw new UsageError(`${matches.length} images are called "${nameOrId}" (${ids}): give the id`);
  }
  return matches[0] as GlanceImage;
}

async function targetProjects(directory: ProjectDirectory, target: string, options: ShareOptions): Promise<Project[]> {
  if (options.shareType === 'domain') {
    const domain = await directory.findDomain(target);
    if (!domain) throw new UsageError(`no domain "${target}"`);
    return directory.listProjects({ domainId: domain.id });
  }
  const domain = await directory.findDomain(options.shareDomain);
  if (!domain) throw new UsageError(`no domain "${options.shareDomain}" (--share-domain)`);
  const projects = await directory.listProjects({ name: target, domainId: domain.id });
  if (projects.length === 0) throw new UsageError(`no project "${target}" in domain "${domain.name}"`);
  return projects;
}
