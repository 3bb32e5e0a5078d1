import type { KubeApi } from '../cluster/api';
import type { Diagnosis } from '../diagnose/diagnosis';
import type { Io } from '../io';
import { noContacts, type Contacts } from './contacts';
import { needsContacts, withHandover } from './index';
import { loadContactsConfigMap, loadContactsFile } from './load';

/**
 * Who to call when a diagnosis escalates: the file given (read first, whatever is found, so a
 * mistake in it is always said), else the namespace's ConfigMap, read only when something
 * escalates (a healthy run costs no request). A saved snapshot is diagnosed offline.
 */
export class ContactBook {
  private readonly file: Contacts | null;
  private readonly byNamespace = new Map<string, Promise<Contacts>>();

  constructor(file: string | undefined, private readonly api: (() => KubeApi) | null, private readonly io: Io) {
    this.file = file ? loadContactsFile(file) : null;
  }

  private contacts(ns: string): Promise<Contacts> {
    if (this.file) return Promise.resolve(this.file);
    if (!this.api) return Promise.resolve(noContacts('not read offline; pass --escalation-config FILE'));
    let c = this.byNamespace.get(ns);
    if (!c) this.byNamespace.set(ns, (c = loadContactsConfigMap(this.api(), ns, (m) => this.io.err(m))));
    return c;
  }

  async attach(ds: Diagnosis[]): Promise<Diagnosis[]> {
    if (!needsContacts(ds)) return ds;
    return Promise.all(ds.map(async (d) => ((d.escalations ?? []).length ? withHandover(d, await this.contacts(d.namespace)) : d)));
  }
}

