/** A cloud from clouds.yaml (or the OS_* environment), resolved and validated, ready for authentication. */
export interface ResolvedCloud {
  /** The cloud's name in clouds.yaml, or "envvars" for a cloud built only from OS_* variables. */
  name: string;
  /** Where the values came from (file paths and/or "environment"), for error messages. */
  sources: string[];
  auth: AuthConfig;
  regionName?: string;
  /** Endpoint interface to pick from the catalog; default "public". */
  interface: EndpointInterface;
  /** Use this URL for Glance instead of the catalog's (clouds.yaml `image_endpoint_override`). */
  imageEndpointOverride?: string;
  tls: TlsConfig;
}

export type EndpointInterface = 'public' | 'internal' | 'admin';

export interface TlsConfig {
  /** false when `verify: false` or `insecure: true`. */
  verify: boolean;
  /** Path of a CA bundle (`cacert`). */
  caCertFile?: string;
  /** Client certificate and key paths (`cert`, `key`). */
  certFile?: string;
  keyFile?: string;
}

export interface Scope {
  projectId?: string;
  projectName?: string;
  projectDomainId?: string;
  projectDomainName?: string;
  /** Domain scope (`domain_id`/`domain_name` with no project). */
  domainId?: string;
  domainName?: string;
  systemScope?: string;
}

export interface PasswordAuth {
  type: 'password';
  authUrl: string;
  userId?: string;
  username?: string;
  userDomainId?: string;
  userDomainName?: string;
  password: string;
  scope: Scope;
}

export interface ApplicationCredentialAuth {
  type: 'v3applicationcredential';
  authUrl: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret: string;
  /** Needed with an application credential name. */
  userId?: string;
  username?: string;
  userDomainId?: string;
  userDomainName?: string;
}

export interface TokenAuth {
  type: 'token';
  authUrl: string;
  token: string;
  scope: Scope;
}

export type AuthConfig = PasswordAuth | ApplicationCredentialAuth | TokenAuth;
