/**
 * The roadmap's entries kept as encoded candid, so `getRoadmap` copies bytes instead of
 * encoding some thirty thousand characters of text on every call. Keyed by the entry object:
 * the domain replaces an entry's object whenever it changes and reports the new one (see
 * `Commons.observeRoadmap`), so an entry found here is current, and a replaced one is simply
 * no longer asked for. Filled at install and upgrade and by the updates that write entries;
 * queries only read it, as a query's heap changes would not persist.
 */
import { encoded, type Encoded } from '../codec';
import type { RoadmapEntry } from '../domain/db';
import type { Item, Milestone, Roadmap, Theme } from '../domain/model';
import * as T from './idl';

const encodedEntries = new WeakMap<Theme | Milestone | Item, Encoded>();

export function rememberRoadmapEntry(entry: RoadmapEntry): void {
  if ('theme' in entry) encodedEntries.set(entry.theme, encoded(T.Theme, entry.theme));
  else if ('milestone' in entry) {
    encodedEntries.set(entry.milestone, encoded(T.Milestone, entry.milestone));
  } else encodedEntries.set(entry.item, encoded(T.Item, entry.item));
}

/** The roadmap with every entry that has encoded bytes replaced by them (the codec copies them). */
export function withEncodedEntries(roadmap: Roadmap): unknown {
  const ready = <E extends Theme | Milestone | Item>(entry: E): E | Encoded =>
    encodedEntries.get(entry) ?? entry;
  return {
    themes: roadmap.themes.map((node) => ({
      theme: ready(node.theme),
      milestones: node.milestones.map((m) => ({
        milestone: ready(m.milestone),
        items: m.items.map(ready),
      })),
    })),
    itemPower: roadmap.itemPower,
  };
}
