import type { NotImportedReason, OimNamedReason, Reason, RetentionReason } from './types.js';

// The sentences a person reads for the planner's typed reasons: the notes, a delete's reason, status.

export function reasonText(reason: Reason): string {
  switch (reason.kind) {
    case 'current':
      return 'current';
    case 'kept':
      return `kept: uuid_validity ${reason.validity}`;
    case 'past-validity':
      return `past its retention (uuid_validity ${reason.validity}); --delete would delete it`;
    case 'protected':
      return 'past its retention, but protected: --delete leaves it (Glance refuses to delete a protected image)';
    case 'kept-anyway':
      return `past its retention but kept (${reason.by})`;
    case 'expired':
      return `uuid_validity ${reason.validity}`;
    case 'not-imported':
      return notImportedText(reason);
    case 'not-listed':
      return 'no longer listed, and its only images failed';
    case 'left-alone':
      return 'left alone, delete by hand';
  }
}

function notImportedText(reason: NotImportedReason): string {
  switch (reason.because) {
    case 'failed-image':
      return 'delete its failed image first';
    case 'latest-only':
      return `--latest imports only ${reason.newest}`;
    case 'older-than-present':
      return `the newer version ${reason.newer} exists`;
  }
}

export function oimNamedText(reason: OimNamedReason): string {
  return reason.because === 'no-build-day'
    ? 'it has no build_date and is no YYYYMMDD date'
    : `versions ${reason.versions.join(', ')} share the build day ${reason.day}`;
}

const RETENTION: ReadonlySet<Reason['kind']> = new Set([
  'kept',
  'past-validity',
  'protected',
  'kept-anyway',
  'expired',
]);

/** Whether the reason is retention's (rule 6): the image is outdated. */
export function isRetention(reason: Reason): reason is RetentionReason {
  return RETENTION.has(reason.kind);
}
