/**
 * What is known about each proposal's official response besides its text (which lives with the
 * body, in `proposalBodies`): the status it was written for, and its earlier versions. A
 * response that is edited or cleared leaves a revision, like an edited proposal or comment.
 *
 * The proposals with a response are also kept on the heap, for the triage queue ("needs a
 * response") and its count.
 */
import type {
  Id,
  OfficialResponse,
  Opt,
  ProposalStatus,
  ResponseInfo,
  ResponseRevision,
  Time,
} from './model';
import type { RecordStore } from './storage/record-store';

/** What is stored per proposal: `current` is false once the response was cleared. */
export type ResponseRecord = ResponseInfo & { current: boolean };

export type ResponseStores = {
  /** proposal id → the response's status and revision count (kept once cleared) */
  responses: RecordStore<ResponseRecord>;
  /** `${id}/${n}` → the version that the n-th change replaced */
  responseRevisions: RecordStore<ResponseRevision>;
};

const revisionKey = (id: Id, n: number): string => `${id}/${n}`;

export class OfficialResponses {
  /** proposal id → its record, for every proposal that has or had a response */
  private readonly records = new Map<Id, ResponseRecord>();
  /** proposals with a response now */
  private readonly answered = new Set<Id>();

  constructor(private readonly stores: ResponseStores) {}

  /** Derives the heap state from the records (after an upgrade). */
  rebuild(): void {
    this.records.clear();
    this.answered.clear();
    this.stores.responses.forEach((record, key) => {
      const id = BigInt(key);
      this.records.set(id, record);
      if (record.current) this.answered.add(id);
    });
  }

  has(id: Id): boolean {
    return this.answered.has(id);
  }

  /** The proposals with a response now. */
  answeredIds(): IterableIterator<Id> {
    return this.answered.values();
  }

  /** Only for a proposal with a response now. */
  about(id: Id): Opt<ResponseInfo> {
    const record = this.records.get(id);
    if (record === undefined || !record.current) return [];
    return [{ forStatus: record.forStatus, revisions: record.revisions }];
  }

  private save(id: Id, record: ResponseRecord): void {
    this.stores.responses.set(String(id), record);
    this.records.set(id, record);
    if (record.current) this.answered.add(id);
    else this.answered.delete(id);
  }

  /**
   * A response was set, edited or cleared (`next` empty) while the proposal's status became
   * `status`. The version it replaces, if any and if different, becomes a revision.
   */
  changed(
    id: Id,
    previous: Opt<OfficialResponse>,
    next: Opt<OfficialResponse>,
    status: ProposalStatus,
    now: Time,
  ): void {
    const info = this.records.get(id);
    let revisions = info?.revisions ?? 0;
    const before = previous[0];
    if (before !== undefined && (next.length === 0 || next[0].body !== before.body)) {
      const revision: ResponseRevision = {
        ...before,
        forStatus: info === undefined || !info.current ? [] : [info.forStatus],
        replacedAt: now,
      };
      this.stores.responseRevisions.set(revisionKey(id, revisions), revision);
      revisions++;
    }
    const forStatus =
      next.length === 1 && (before === undefined || next[0].body !== before.body)
        ? status
        : (info?.forStatus ?? status);
    this.save(id, { forStatus, revisions, current: next.length === 1 });
  }

  /** A response written before responses had records: its status is taken as the current. */
  adopt(id: Id, status: ProposalStatus): void {
    if (!this.records.has(id)) this.save(id, { forStatus: status, revisions: 0, current: true });
  }

  /** Earlier versions, oldest first. */
  history(id: Id): ResponseRevision[] {
    const count = this.records.get(id)?.revisions ?? 0;
    const out: ResponseRevision[] = [];
    for (let n = 0; n < count; n++) {
      const revision = this.stores.responseRevisions.getVerbatim(revisionKey(id, n));
      if (revision !== undefined) out.push(revision);
    }
    return out;
  }
}
