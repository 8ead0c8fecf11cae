// The real Glance of the local stack as a staging target for the benches (bench/stream.mjs, bench/compressed.mjs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const log = { debug() {}, info() {}, warn() {}, error() {} };

/** The real Glance of a cloud in clouds.yaml: a fresh image per upload, deleted once its bytes are counted. */
export async function glanceStage(dist, cloudName, dir) {
  const { connect } = await import(`${dist}/cli/context.js`);
  const { Redactor } = await import(`${dist}/net/redact.js`);
  const context = connect(cloudName, { timeout: 600, retryBudget: 120 }, new Redactor(), log, { env: process.env });
  const endpoint = await context.session.endpoint('image', context.cloud.imageEndpointOverride);
  return {
    async open() {
      const name = `bench-stage-${process.pid}`;
      const image = await context.glance.createImage({ name, disk_format: 'raw', container_format: 'bare' });
      const token = (await context.session.currentToken()).value;
      // The token goes to curl in a file, not on its command line.
      const headers = join(dir, 'headers');
      writeFileSync(headers, `X-Auth-Token: ${token}\nContent-Type: application/octet-stream\n`, { mode: 0o600 });
      return {
        glance: context.glance,
        id: image.id,
        stageUrl: `${endpoint}/v2/images/${image.id}/stage`,
        headers: ['-H', `@${headers}`],
        async received() {
          const staged = await context.glance.getImage(image.id);
          await context.glance.deleteImage(image.id);
          return staged.status === 'uploading' ? (staged.size ?? -1) : -1;
        },
      };
    },
  };
}
