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

// Object literals of one shape, the optional keys assigned after: a plan holds one decision an image.
function decisionOf(target: Target): Decision {
  switch (target.fate) {
    case 'none':
      return { fate: 'none', reason: target.reason };
    case 'import': {
      const decision: Decision = {
        fate: 'import',
        role: target.role,
        name: target.desired.name,
        reason: target.reason,
      };
      if (target.oimNamed) decision.oimNamed = target.oimNamed;
      return decision;
    }
    case 'resume':
    case 'keep': {
      const { fate, image, role, reason } = target;
      const decision: Decision = { fate, image, role, name: target.desired.name, reason };
      if (fate === 'keep' && target.duplicateOf) decision.duplicateOf = target.duplicateOf.id;
      if (target.oimNamed) decision.oimNamed = target.oimNamed;
      return decision;
    }
    case 'delete': {
      const decision: Decision = { fate: 'delete', image: target.image, reason: target.reason };
      if (target.duplicateOf) decision.duplicateOf = target.duplicateOf.id;
      return decision;
    }
  }
}

/** Every image the definition owns: in a decision of one of its versions. */
export function imagesOf(definition: DefinitionPlan): GlanceImage[] {
  return definition.versions.flatMap((version) =>
    version.decisions.flatMap((decision) => ('image' in decision ? [decision.image] : [])),
  );
}
