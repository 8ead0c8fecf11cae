/**
 * The planner: definitions plus observed images in, an ordered list of actions out, with the notes and, per
 * version, the decision on each of its images and the typed reason for it. The rules it follows, numbered as the
 * tests (test/unit/plan) cite them:
 *
 * 1. Ours. An image is managed when it carries the managed tag and is ours to change: owned by the project,
 *    or public (as OIM decides). It belongs to a definition by the image_name and internal_version properties
 *    the tool writes; an image written before those existed, by its name (NAME (V), NAME V, a multi image's
 *    NAME YYYYMMDD: the listed version built that day, else the day; or the plain NAME with its
 *    internal_version or, lacking that, the day it was created as its version). Any other image, and the
 *    images of definitions not selected, are never touched and count for nothing. An image of the project
 *    that looks like one of a definition's (its image_name, or a name the plan may give) but lacks the tag is
 *    named in a warning, when the plan asked Glance for those names (rule 12).
 * 2. Imports. Every listed version without an image is imported, except: a version whose only images failed;
 *    with --latest, all but the newest; of a multi image, one older than a version present (retention may
 *    have deleted it on purpose); one retention would delete at once. A new image is created fully described
 *    (every property, the identity ones among them, and every tag; private) under the name it ends with, so
 *    that it costs a create, an import and one final change: what waits for its data, its visibility (never
 *    shown before it is described) and status. Only while another image of the definition holds that name
 *    (the plain name of a multi image) is it created under its versioned name: when that image leaves the
 *    name in this run (a rotation, rule 5), the new one takes it, with its visibility and status, in one
 *    rename once that one has left; else the name comes with its final change.
 * 3. Properties. An image gets the definition's meta with its version's overrides and the derived properties
 *    (image_name, internal_version, image_original_user, image_source, image_build_date, image_description,
 *    os_version), all as strings; a null value means the property is absent. Tags: the definition's, the
 *    managed tag and os:DISTRO.
 * 4. Updates. An existing image is brought to its desired state: every differing field in one action;
 *    min_disk is never set below what the stored image needs (with a warning).
 * 5. Rotation. Of a multi image, the newest listed version present or arriving is current and carries the
 *    plain name (newest in build order, definitions/version-order.ts: by build date when every label tells a
 *    date, a version no longer listed by its image's image_build_date; else by label); every other is outdated:
 *    NAME (V), os_purpose oldgeneric (was generic), hidden with --hide
 *    (community, --hidden-visibility, or os_hidden with --use-os-hidden). Outdated names in the SCS form
 *    (--outdated-names scs, which wins over a definition's outdated_names, which wins over the default oim):
 *    NAME YYYYMMDD (always a space) from the version's build_date, else from the version when it is a
 *    YYYYMMDD date (a version no longer listed: its image's image_build_date); a version with neither, or
 *    sharing its day with another version, keeps NAME (V) with a warning. Switching the style renames the
 *    outdated images (their identity is in their properties). A version no longer listed that holds the plain
 *    name gives it back to the newest listed one, with a note saying so. While the version that becomes
 *    current is imported, the images current now keep their name, os_purpose, exposure and status until it
 *    is in; their other changes are made at once. The image taking the plain name waits until every image
 *    leaving it has left.
 * 6. Retention. uuid_validity decides how many outdated images are kept, newest first. One past it is
 *    deleted with --delete, unless --keep, keep: true or protected (a warning: Glance would refuse); else
 *    deactivated with --deactivate.
 *    Retention comes after every import and rename of the definition, so that a failed successor keeps its
 *    predecessor. A delete Glance refuses (the image is in use) retires the image as far as it can instead.
 *    An unfinished import (rule 8) retention would delete at once is deleted, not finished.
 * 7. Single-version images (multi: false). Every listed version is current, named NAME V; there is no
 *    plain name. A version no longer listed is outdated: rule 6 applies.
 * 8. Unfinished images. An image of a listed version left queued, saving, uploading or importing is
 *    finished (resumed) as this run's import of it. A version with only failed images (killed, …) is left
 *    alone with a warning and not imported again. Beside a usable image of its version, images being
 *    imported or failed are left alone with a warning; of several being imported, the newest is finished.
 * 9. Order. Imports come first; every action comes after the actions it names in `after` (seq 1..n);
 *    deletes wait for every import of their definition. One image, one writer: an image's changes are one
 *    action; only when part of them waits for an import are they two, the second after the first (rules 5
 *    and 6; a new image takes a plain name another image leaves in an action after its import, rule 2). Two
 *    actions that write one image always have an `after` path between them.
 * 10. Flags stick. Without --hide an outdated image that is hidden (shown less than the definition says:
 *     community, shared or private, or os_hidden) stays hidden; without --deactivate a deactivated outdated
 *     image stays deactivated; --hide never shows one more than it is (a private one stays private). An
 *     outdated image is shown again only when said explicitly: by its version's own `visibility` or
 *     `hidden`, or by --unhide (PlanOptions.unhide). No outdated image is reactivated. The current image gets
 *     the definition's exposure and status.
 * 11. Duplicates. Of several usable images claiming one version, one is kept: the one holding the plain
 *     name, else one not named as a duplicate, else the oldest created, else the lowest id. Each other is
 *     retired as an outdated version is, with a warning and without waiting for a rotation: named
 *     NAME (V) duplicate ID (ID: the first 8 characters of its id, all of it if another duplicate shares
 *     them) with the identity properties, oldgeneric, hidden with --hide, and kept, deactivated or deleted by
 *     its version's place in rule 6 (a duplicate of the current version takes the place of the newest
 *     outdated one). The one kept is usable, so no version loses its last usable image.
 * 12. Shared names. An image the tool does not manage that users see (public or community, not os_hidden)
 *     and that is called like an image the plan keeps or brings is never touched; the plan warns that users
 *     see two.
 *
 * The stages, each one a test can call: `inventory` (the version slots: one per version), `targets` (per slot
 * the state to reach and why), `actions` (the drafts and their `after` edges), and the `Sequencer` (the drafts
 * numbered into the plan, one definition at a time).
 */
import type { ImageDefinition } from '../definitions/types.js';
import type { GlanceImage } from '../openstack/image.js';
import { actions } from './actions.js';
import { assignOwnership, seenUnmanaged } from '../definitions/identify.js';
import { decisionsOf } from './decisions.js';
import { inventory } from './inventory.js';
import { notesOf } from './notes.js';
import { Sequencer } from './sequence.js';
import { mirrorNotes } from './sources.js';
import { targets } from './targets.js';
import type { DefinitionPlan, Plan, PlanNote, PlanOptions } from './types.js';

export interface PlanInput {
  /** The definitions to reconcile (already filtered and enabled). */
  definitions: ImageDefinition[];
  /** Every image the project can see. */
  observed: GlanceImage[];
  /** The project of the token: images of other projects are only ours when public (as OIM decides). */
  projectId?: string;
  options: PlanOptions;
  /**
   * Images called by a name the definitions' images may carry (`publishedNames`), whatever their tag: those
   * users see (public or community, not os_hidden) and the tool does not manage are named in a warning
   * (rule 12).
   */
  unmanagedNamed?: GlanceImage[];
}

export function plan(input: PlanInput): Plan {
  const { tag } = input.options;
  const { byDefinition } = assignOwnership(input.definitions, input.observed, tag, input.projectId);
  const strangers = (input.unmanagedNamed ?? []).filter((image) => seenUnmanaged(image, tag, input.projectId));
  // Of the images without the tag, only the project's own could be the ones the operator meant.
  const ours = (image: GlanceImage) => input.projectId === undefined || image.owner === input.projectId;
  const untagged = { tag, images: (input.unmanagedNamed ?? []).filter((i) => !i.tags.includes(tag) && ours(i)) };
  // One definition at a time, numbered as it comes: what is left of it is the actions, the notes and the decisions.
  const sequencer = new Sequencer();
  const notes: PlanNote[] = [];
  const definitions: DefinitionPlan[] = [];
  for (const def of input.definitions) {
    const slots = inventory(def, byDefinition.get(def.name) ?? []);
    // Done with (the loader allows a name once): a large plan need not hold what it has inventoried.
    byDefinition.delete(def.name);
    const decided = targets(def, slots, input.options);
    for (const note of notesOf(def, slots, decided, strangers, untagged)) notes.push(note);
    for (const note of mirrorNotes(def, decided, input.options.mirrorBase)) notes.push(note);
    definitions.push(decisionsOf(def.name, slots, decided));
    sequencer.add(actions(def, decided, input.options));
  }
  return { actions: sequencer.plan(), notes, definitions };
}
