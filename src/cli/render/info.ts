import type { CloudInfo } from '../commands/info.js';
import { safeText } from '../safe-text.js';
import { type Format, jsonDocumentText, render } from './format.js';

/** What `info` prints. */
export function renderCloudInfo(info: CloudInfo, format: Format): string {
  return render(format, { json: () => jsonDocumentText(info), text: () => `${formatCloudInfo(info)}\n` });
}

export function formatCloudInfo(info: CloudInfo): string {
  return [
    `cloud:          ${info.cloud}`,
    `user:           ${info.user ?? '-'}`,
    `project:        ${info.project ?? '-'}${info.projectId ? ` (${info.projectId})` : ''}`,
    `roles:          ${info.roles.join(', ') || '-'}`,
    `image endpoint: ${info.imageEndpoint}`,
    `import methods: ${info.importMethods.join(', ') || '-'}`,
  ]
    .map(safeText)
    .join('\n');
}
