import type { GlanceImage } from '../openstack/image.js';
import type { VersionSlot } from './inventory.js';
import type { Target } from './targets.js';
import type { Decision, DefinitionPlan } from './types.js';

/** One definition's part of the plan: per slot its targets' decisions, then its images left alone. */
export function decisionsOf(definition: string, slots: VersionSlot[], decided: Target[]): DefinitionPlan {
  const bySlot = new Map<VersionSlot, Decision[]>();
  for (const target of decided) {
    const decision = decisionOf(target);
    const list = bySlot.get(target.slot);
    if (list) list.push(decision);
    else bySlot.set(target.slot, [decision]);
  }
  const versions = slots.map((slot) => {
    const decisions = bySlot.get(slot) ?? [];
    for (const image of slot.ignored) decisions.push({ fate: 'leave', image, reason: LEFT_ALONE });
    return { version: slot.version, defined: slot.defined !== undefined, decisions };
  });
  return { definition, versions };
}

const LEFT_ALONE = { kind: 'left-alone' } as const;

function decisionOf(target: Target): Decision {
  const oimNamed =
    target.fate !== 'none' && target.fate !== 'delete' && target.oimNamed ? { oimNamed: target.oimNamed } : {};
  switch (target.fate) {
    case 'none':
      return { fate: 'none', reason: target.reason };
    case 'import':
      return { fate: 'import', role: target.role, name: target.desired.name, reason: target.reason, ...oimNamed };
    case 'resume':
    case 'keep': {
      const { fate, image, role, reason } = target;
      const duplicate = fate === 'keep' && target.duplicateOf ? { duplicateOf: target.duplicateOf.id } : {};
      return { fate, image, role, name: target.desired.name, reason, ...duplicate, ...oimNamed };
    }
    case 'delete': {
      const duplicate = target.duplicateOf ? { duplicateOf: target.duplicateOf.id } : {};
      return { fate: 'delete', image: target.image, reason: target.reason, ...duplicate };
    }
  }
}

/** Every image the definition owns: in a decision of one of its versions. */
export function imagesOf(definition: DefinitionPlan): GlanceImage[] {
  return definition.versions.flatMap((version) =>
    version.decisions.flatMap((decision) => ('image' in decision ? [decision.image] : [])),
  );
}
