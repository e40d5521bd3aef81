import { IDL, query, update, StableBTreeMap, msgCaller } from 'azle';
export default class {
  m = new StableBTreeMap<string, string>(0);
  @query([], IDL.Text)
  hello(): string { return 'hi ' + msgCaller().toText(); }
  @update([IDL.Text], IDL.Text)
  put(v: string): string { this.m.insert('k', v); return v; }
}
