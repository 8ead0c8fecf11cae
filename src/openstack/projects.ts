import { isHttpStatus } from './errors.js';
import type { Session } from './identity.js';

export interface Project {
  id: string;
  name: string;
  domain_id: string;
}

export interface Domain {
  id: string;
  name: string;
}

/** The few Keystone lookups image sharing needs: domains and projects by name. */
export class ProjectDirectory {
  constructor(private readonly session: Session) {}

  private async base(): Promise<string> {
    return `${await this.session.endpoint('identity')}/v3`;
  }

  /** A domain by id or name. */
  async findDomain(nameOrId: string): Promise<Domain | undefined> {
    const byId = await this.session
      .request({ method: 'GET', url: `${await this.base()}/domains/${encodeURIComponent(nameOrId)}` })
      .then((response) => response.json<{ domain: Domain }>().domain)
      .catch((error: unknown) => {
        if (isHttpStatus(error, 404)) return undefined; // a name, not an id
        throw error;
      });
    if (byId) return byId;
    const response = await this.session.request({
      method: 'GET',
      url: `${await this.base()}/domains?${new URLSearchParams({ name: nameOrId })}`,
    });
    return response.json<{ domains: Domain[] }>().domains[0];
  }

  async listProjects(filter: { name?: string; domainId?: string }): Promise<Project[]> {
    const query = new URLSearchParams();
    if (filter.name) query.set('name', filter.name);
    if (filter.domainId) query.set('domain_id', filter.domainId);
    const response = await this.session.request({ method: 'GET', url: `${await this.base()}/projects?${query}` });
    return response.json<{ projects: Project[] }>().projects;
  }
}
