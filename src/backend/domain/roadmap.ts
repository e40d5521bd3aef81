import { requireAdmin, type CallContext } from './context';
import type { Db } from './db';
import type {
  Id,
  ImportReport,
  Item,
  ItemDetail,
  ItemImport,
  ItemInput,
  ItemPower,
  Link,
  Milestone,
  MilestoneInput,
  MilestoneNode,
  NnsLink,
  Opt,
  PrincipalId,
  Roadmap,
  RoadmapImport,
  RoadmapStatus,
  Theme,
  ThemeInput,
  ThemeNode,
  Time,
} from './model';
import { NNS_GOVERNANCE } from './nns';
import { invalid, isErr, notFound, ok, type Result } from './result';
import { cleanSlug, cleanText, cleanUrl } from './text';

export const isDeployed = (status: RoadmapStatus): boolean => 'Deployed' in status;

type CleanTheme = Omit<Theme, 'id' | 'updatedAt'>;
type CleanMilestone = Omit<Milestone, 'id' | 'themeId' | 'commentCount' | 'updatedAt'>;
type CleanItem = Omit<Item, 'id' | 'milestoneId' | 'priority' | 'commentCount' | 'updatedAt'>;

function cleanTheme(input: ThemeInput, field = 'theme'): Result<CleanTheme> {
  const slug = cleanSlug(input.slug, `${field}.slug`);
  if (isErr(slug)) return slug;
  const title = cleanText(input.title, {
    field: `${field}.title`,
    min: 1,
    max: 120,
    singleLine: true,
  });
  if (isErr(title)) return title;
  const summary = cleanText(input.summary, { field: `${field}.summary`, min: 0, max: 2000 });
  if (isErr(summary)) return summary;
  return ok({ slug: slug.Ok, title: title.Ok, summary: summary.Ok, order: input.order });
}

function cleanMilestone(
  input: Omit<MilestoneInput, 'themeSlug'>,
  field = 'milestone',
): Result<CleanMilestone> {
  const slug = cleanSlug(input.slug, `${field}.slug`);
  if (isErr(slug)) return slug;
  const name = cleanText(input.name, {
    field: `${field}.name`,
    min: 1,
    max: 120,
    singleLine: true,
  });
  if (isErr(name)) return name;
  const summary = cleanText(input.summary, { field: `${field}.summary`, min: 0, max: 2000 });
  if (isErr(summary)) return summary;
  let eta: Opt<string> = [];
  if (input.eta.length === 1) {
    const text = cleanText(input.eta[0], {
      field: `${field}.eta`,
      min: 1,
      max: 40,
      singleLine: true,
    });
    if (isErr(text)) return text;
    eta = [text.Ok];
  }
  return ok({
    slug: slug.Ok,
    name: name.Ok,
    summary: summary.Ok,
    status: input.status,
    eta,
    order: input.order,
  });
}

function cleanLinks(links: readonly Link[], field: string): Result<Link[]> {
  if (links.length > 10) return invalid(`${field}.links`, 'at most 10 links');
  const clean: Link[] = [];
  for (const link of links) {
    const label = cleanText(link.label, {
      field: `${field}.links.label`,
      min: 1,
      max: 80,
      singleLine: true,
    });
    if (isErr(label)) return label;
    const url = cleanUrl(link.url, `${field}.links.url`);
    if (isErr(url)) return url;
    clean.push({ label: label.Ok, url: url.Ok });
  }
  return ok(clean);
}

function cleanItem(input: Omit<ItemInput, 'milestoneSlug'>, field = 'item'): Result<CleanItem> {
  const slug = cleanSlug(input.slug, `${field}.slug`);
  if (isErr(slug)) return slug;
  const title = cleanText(input.title, {
    field: `${field}.title`,
    min: 1,
    max: 160,
    singleLine: true,
  });
  if (isErr(title)) return title;
  const description = cleanText(input.description, {
    field: `${field}.description`,
    min: 0,
    max: 5000,
  });
  if (isErr(description)) return description;
  const links = cleanLinks(input.links, field);
  if (isErr(links)) return links;
  return ok({
    slug: slug.Ok,
    title: title.Ok,
    description: description.Ok,
    status: input.status,
    links: links.Ok,
    order: input.order,
  });
}

export class RoadmapService {
  constructor(
    private readonly db: Db,
    /** Called when an item becomes Deployed: its credits go back, its followers hear of it. */
    private readonly onDeployed: (itemId: Id, actor: PrincipalId, at: Time) => void,
  ) {}

  getRoadmap(): Roadmap {
    const layout = this.db.roadmapLayout();
    const present = <T>(value: T | undefined): value is T => value !== undefined;
    return {
      themes: layout.themes.map((themeId): ThemeNode => ({
        theme: this.db.theme(themeId)!,
        milestones: (layout.milestonesOf.get(themeId) ?? [])
          .map((id) => this.db.milestone(id))
          .filter(present)
          .map((milestone): MilestoneNode => ({
            milestone,
            items: (layout.itemsOf.get(milestone.id) ?? [])
              .map((id) => this.db.item(id))
              .filter(present),
          })),
      })),
      itemPower: this.itemPower(),
    };
  }

  /**
   * Items whose supporters have voting power, by id: one heap lookup per item (the roadmap's
   * size), never a walk over the lens's tallies, which grow with the proposals.
   */
  private itemPower(): ItemPower[] {
    const power: ItemPower[] = [];
    for (const itemId of this.db.itemById.keys()) {
      const up = this.db.lens.tally(`i${itemId}`).up;
      if (up > 0n) power.push({ itemId, power: up });
    }
    return power.sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
  }

  getItem(id: Id, myVotes: number, nns: Opt<NnsLink>): Opt<ItemDetail> {
    const item = this.db.item(id);
    if (item === undefined) return [];
    const milestone = this.db.milestone(item.milestoneId);
    const theme = milestone && this.db.theme(milestone.themeId);
    if (milestone === undefined || theme === undefined) return [];
    const supporterPower = this.db.lens.tally(`i${id}`).up;
    return [{ item, milestone, theme, myVotes, supporterPower, nns }];
  }

  /**
   * Marks an item Deployed on behalf of NNS governance (its linked proposal executed), giving
   * its priority credits back as any deployment does. False when it already was Deployed.
   */
  deployByNns(itemId: Id, now: Time): boolean {
    const item = this.db.item(itemId);
    if (item === undefined || isDeployed(item.status)) return false;
    this.db.saveItem({ ...item, status: { Deployed: null }, updatedAt: now });
    this.onDeployed(itemId, NNS_GOVERNANCE, now);
    return true;
  }

  upsertTheme(ctx: CallContext, input: ThemeInput): Result<Theme> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const clean = cleanTheme(input);
    if (isErr(clean)) return clean;
    const theme = this.writeTheme(ctx, clean.Ok).theme;
    // Order it now: queries cannot keep what they work out.
    this.db.roadmapLayout();
    this.db.roadmapLayout();
    this.db.log(ctx.caller, ctx.now, { ThemeUpserted: { themeId: theme.id, slug: theme.slug } });
    return ok(theme);
  }

  upsertMilestone(ctx: CallContext, input: MilestoneInput): Result<Milestone> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const clean = cleanMilestone(input);
    if (isErr(clean)) return clean;
    const themeSlug = cleanSlug(input.themeSlug, 'themeSlug');
    if (isErr(themeSlug)) return themeSlug;
    const themeId = this.db.slugs.get(`theme/${themeSlug.Ok}`);
    if (themeId === undefined) return notFound(`theme ${themeSlug.Ok}`);
    const milestone = this.writeMilestone(ctx, themeId, clean.Ok).milestone;
    // Order it now: queries cannot keep what they work out.
    this.db.roadmapLayout();
    this.db.log(ctx.caller, ctx.now, {
      MilestoneUpserted: {
        milestoneId: milestone.id,
        slug: milestone.slug,
        status: milestone.status,
      },
    });
    return ok(milestone);
  }

  upsertItem(ctx: CallContext, input: ItemInput): Result<Item> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const clean = cleanItem(input);
    if (isErr(clean)) return clean;
    const milestoneSlug = cleanSlug(input.milestoneSlug, 'milestoneSlug');
    if (isErr(milestoneSlug)) return milestoneSlug;
    const milestoneId = this.db.slugs.get(`milestone/${milestoneSlug.Ok}`);
    if (milestoneId === undefined) return notFound(`milestone ${milestoneSlug.Ok}`);
    const item = this.writeItem(ctx, milestoneId, clean.Ok).item;
    // Order it now: queries cannot keep what they work out.
    this.db.roadmapLayout();
    this.db.log(ctx.caller, ctx.now, {
      ItemUpserted: { itemId: item.id, slug: item.slug, status: item.status },
    });
    return ok(item);
  }

  /** Validates the whole file before writing anything, then upserts by slug. */
  importRoadmap(ctx: CallContext, file: RoadmapImport): Result<ImportReport> {
    const denied = requireAdmin(this.db, ctx);
    if (denied) return denied;
    const seen = new Set<string>();
    const unique = (kind: string, slug: string): boolean => {
      const key = `${kind}/${slug.trim()}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    type Plan = {
      theme: CleanTheme;
      milestones: Array<{ milestone: CleanMilestone; items: CleanItem[] }>;
    };
    const plan: Plan[] = [];
    for (const [t, theme] of file.themes.entries()) {
      const field = `themes[${t}]`;
      const cleanT = cleanTheme({ ...theme, order: t }, field);
      if (isErr(cleanT)) return cleanT;
      if (!unique('theme', cleanT.Ok.slug)) return invalid(`${field}.slug`, 'appears twice');
      const milestones: Plan['milestones'] = [];
      for (const [m, milestone] of theme.milestones.entries()) {
        const mField = `${field}.milestones[${m}]`;
        const cleanM = cleanMilestone({ ...milestone, order: m }, mField);
        if (isErr(cleanM)) return cleanM;
        if (!unique('milestone', cleanM.Ok.slug)) return invalid(`${mField}.slug`, 'appears twice');
        const items: CleanItem[] = [];
        for (const [i, item] of milestone.items.entries()) {
          const iField = `${mField}.items[${i}]`;
          const cleanI = cleanItem(withOrder(item, i), iField);
          if (isErr(cleanI)) return cleanI;
          if (!unique('item', cleanI.Ok.slug)) return invalid(`${iField}.slug`, 'appears twice');
          items.push(cleanI.Ok);
        }
        milestones.push({ milestone: cleanM.Ok, items });
      }
      plan.push({ theme: cleanT.Ok, milestones });
    }

    const report: ImportReport = {
      themesCreated: 0,
      themesUpdated: 0,
      milestonesCreated: 0,
      milestonesUpdated: 0,
      itemsCreated: 0,
      itemsUpdated: 0,
    };
    for (const entry of plan) {
      const theme = this.writeTheme(ctx, entry.theme);
      if (theme.created) report.themesCreated++;
      else report.themesUpdated++;
      for (const { milestone, items } of entry.milestones) {
        const written = this.writeMilestone(ctx, theme.theme.id, milestone);
        if (written.created) report.milestonesCreated++;
        else report.milestonesUpdated++;
        for (const item of items) {
          if (this.writeItem(ctx, written.milestone.id, item).created) report.itemsCreated++;
          else report.itemsUpdated++;
        }
      }
    }
    // Order it now: queries cannot keep what they work out.
    this.db.roadmapLayout();
    this.db.roadmapLayout();
    this.db.log(ctx.caller, ctx.now, { RoadmapImported: report });
    return ok(report);
  }

  private writeTheme(ctx: CallContext, clean: CleanTheme): { theme: Theme; created: boolean } {
    const existingId = this.db.slugs.get(`theme/${clean.slug}`);
    const id = existingId ?? this.db.nextId('theme');
    const theme: Theme = { id, ...clean, updatedAt: ctx.now };
    this.db.saveTheme(theme);
    return { theme, created: existingId === undefined };
  }

  private writeMilestone(
    ctx: CallContext,
    themeId: Id,
    clean: CleanMilestone,
  ): { milestone: Milestone; created: boolean } {
    const existingId = this.db.slugs.get(`milestone/${clean.slug}`);
    const existing = existingId === undefined ? undefined : this.db.milestone(existingId);
    const id = existingId ?? this.db.nextId('milestone');
    const milestone: Milestone = {
      id,
      themeId,
      ...clean,
      commentCount: existing?.commentCount ?? 0,
      updatedAt: ctx.now,
    };
    this.db.saveMilestone(milestone);
    return { milestone, created: existingId === undefined };
  }

  private writeItem(
    ctx: CallContext,
    milestoneId: Id,
    clean: CleanItem,
  ): { item: Item; created: boolean } {
    const existingId = this.db.slugs.get(`item/${clean.slug}`);
    const existing = existingId === undefined ? undefined : this.db.item(existingId);
    const id = existingId ?? this.db.nextId('item');
    const item: Item = {
      id,
      milestoneId,
      ...clean,
      priority: keptPriority(existing, clean.status),
      commentCount: existing?.commentCount ?? 0,
      updatedAt: ctx.now,
    };
    this.db.saveItem(item);
    if (isDeployed(item.status) && (existing === undefined || !isDeployed(existing.status))) {
      this.onDeployed(id, ctx.caller, ctx.now);
    }
    return { item, created: existingId === undefined };
  }
}

/**
 * A Deployed item keeps its final tally. Leaving Deployed starts a new tally: the votes behind
 * the old one were released, so only votes members place from now on count.
 */
function keptPriority(existing: Item | undefined, status: RoadmapStatus): Item['priority'] {
  if (existing === undefined) return { votes: 0, supporters: 0 };
  if (isDeployed(existing.status) && !isDeployed(status)) return { votes: 0, supporters: 0 };
  return existing.priority;
}

function withOrder(item: ItemImport, order: number): Omit<ItemInput, 'milestoneSlug'> {
  return { ...item, order };
}
