/**
 * The roadmap's display order as ids: themes, each theme's milestones and each milestone's
 * items, by their `order` and then by id. Kept apart from the records so that reading the
 * roadmap costs a lookup per entry rather than a sort.
 */
import type { Id, Item, Milestone, Theme } from './model';

export type RoadmapLayout = {
  themes: Id[];
  milestonesOf: Map<Id, Id[]>;
  itemsOf: Map<Id, Id[]>;
};

export function layoutRoadmap(
  themes: readonly Theme[],
  milestones: readonly Milestone[],
  items: readonly Item[],
): RoadmapLayout {
  return {
    themes: sortByOrder(themes).map((theme) => theme.id),
    milestonesOf: groupIds(milestones, (milestone) => milestone.themeId),
    itemsOf: groupIds(items, (item) => item.milestoneId),
  };
}

function sortByOrder<T extends { order: number; id: Id }>(values: readonly T[]): T[] {
  return [...values].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function groupIds<T extends { order: number; id: Id }>(
  values: readonly T[],
  parentOf: (value: T) => Id,
): Map<Id, Id[]> {
  const groups = new Map<Id, Id[]>();
  for (const value of sortByOrder(values)) {
    const parent = parentOf(value);
    const group = groups.get(parent);
    if (group === undefined) groups.set(parent, [value.id]);
    else group.push(value.id);
  }
  return groups;
}
