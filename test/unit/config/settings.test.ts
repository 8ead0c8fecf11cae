import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadCloud, type ResolvedCloud } from '../../../src/config/index.js';
import { createWorkspace, passwordCloud, thrownBy } from './workspace.js';

function load(cloud: Record<string, unknown>, env: Record<string, string> = {}): ResolvedCloud {
  const ws = createWorkspace();
  ws.write(ws.cwd, 'clouds.yaml', { clouds: { named: cloud } });
  return loadCloud(ws.options({ OS_CLOUD: 'named', ...env }));
}

describe('OS_* variables over a named cloud', () => {
  it('override auth fields one by one, keeping the rest of the file', () => {
    const cloud = load(passwordCloud(), {
      OS_AUTH_URL: 'https://other.example.com/v3',
      OS_USERNAME: 'bob',
      OS_PASSWORD: 'env-pw',
      OS_PROJECT_NAME: 'env-project',
    });

    expect(cloud.auth).toEqual({
      type: 'password',
      authUrl: 'https://other.example.com/v3',
      username: 'bob',
      userDomainName: 'Default',
      password: 'env-pw',
      scope: { projectName: 'env-project', projectDomainName: 'Default' },
    });
    expect(cloud.sources).toHaveLength(2);
    expect(cloud.sources[1]).toBe('environment');
  });

  it('override ids and domains', () => {
    const cloud = load(passwordCloud(), {
      OS_USER_ID: 'u-9',
      OS_PROJECT_ID: 'p-9',
      OS_USER_DOMAIN_ID: 'ud',
      OS_PROJECT_DOMAIN_ID: 'pd',
    });

    expect(cloud.auth).toMatchObject({
      userId: 'u-9',
      userDomainId: 'ud',
      scope: { projectId: 'p-9', projectDomainId: 'pd' },
    });
  });

  it('accept OS_TENANT_NAME / OS_TENANT_ID, with OS_PROJECT_* winning', () => {
    expect(load(passwordCloud(), { OS_TENANT_NAME: 'tenant' }).auth).toMatchObject({
      scope: { projectName: 'tenant' },
    });
    expect(load(passwordCloud(), { OS_TENANT_ID: 't-1', OS_PROJECT_ID: 'p-1' }).auth).toMatchObject({
      scope: { projectId: 'p-1' },
    });
  });

  it('OS_DOMAIN_NAME fills both domains of an environment cloud', () => {
    const ws = createWorkspace();
    const cloud = loadCloud(
      ws.options({
        OS_AUTH_URL: 'https://k.example.com',
        OS_USERNAME: 'a',
        OS_PASSWORD: 'pw',
        OS_PROJECT_NAME: 'p',
        OS_DOMAIN_NAME: 'Acme',
      }),
    );
    expect(cloud.auth).toMatchObject({ userDomainName: 'Acme', scope: { projectDomainName: 'Acme' } });
  });

  it('switch the auth type: OS_AUTH_TYPE with application credential variables', () => {
    const cloud = load(passwordCloud(), {
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_APPLICATION_CREDENTIAL_ID: 'ac-env',
      OS_APPLICATION_CREDENTIAL_SECRET: 'env-secret',
    });

    expect(cloud.auth).toEqual({
      type: 'v3applicationcredential',
      authUrl: 'https://keystone.example.com:5000',
      applicationCredentialId: 'ac-env',
      applicationCredentialSecret: 'env-secret',
    });
  });

  it('OS_TOKEN with OS_AUTH_TYPE=v3token', () => {
    expect(load(passwordCloud(), { OS_AUTH_TYPE: 'v3token', OS_TOKEN: 'tok' }).auth).toMatchObject({
      type: 'token',
      token: 'tok',
      scope: { projectName: 'images' },
    });
  });

  it('override region, interface, endpoint override and TLS settings', () => {
    const cloud = load(passwordCloud({ region_name: 'FileRegion', interface: 'internal', verify: true }), {
      OS_REGION_NAME: 'EnvRegion',
      OS_INTERFACE: 'admin',
      OS_IMAGE_ENDPOINT_OVERRIDE: 'https://glance.example.com:9292',
      OS_CACERT: '/env/ca.pem',
      OS_CERT: '/env/cert.pem',
      OS_KEY: '/env/key.pem',
      OS_INSECURE: 'true',
    });

    expect(cloud).toMatchObject({
      regionName: 'EnvRegion',
      interface: 'admin',
      imageEndpointOverride: 'https://glance.example.com:9292',
      tls: { verify: false, caCertFile: '/env/ca.pem', certFile: '/env/cert.pem', keyFile: '/env/key.pem' },
    });
  });

  it('OS_ENDPOINT_TYPE is the legacy OS_INTERFACE, in catalog spelling; OS_INTERFACE wins', () => {
    expect(load(passwordCloud(), { OS_ENDPOINT_TYPE: 'internalURL' }).interface).toBe('internal');
    expect(load(passwordCloud(), { OS_ENDPOINT_TYPE: 'internalURL', OS_INTERFACE: 'admin' }).interface).toBe('admin');
  });

  it('leave the file alone when none is set: sources name only the file', () => {
    const cloud = load(passwordCloud(), { OS_CLOUD_UNRELATED: 'x', HOME: '/somewhere' });
    expect(cloud.sources).toHaveLength(1);
    expect(cloud.auth).toMatchObject({ username: 'alice', password: 'pw-alice' });
  });
});

describe('cloud settings', () => {
  it('defaults: public interface, verification on, no region or override', () => {
    const cloud = load(passwordCloud());
    expect(cloud.interface).toBe('public');
    expect(cloud.tls).toEqual({ verify: true });
    expect(cloud).not.toHaveProperty('regionName');
    expect(cloud).not.toHaveProperty('imageEndpointOverride');
  });

  it('reads region_name, interface and image_endpoint_override', () => {
    expect(
      load(
        passwordCloud({
          region_name: 'RegionOne',
          interface: 'publicURL',
          image_endpoint_override: 'http://glance.internal:9292/',
        }),
      ),
    ).toMatchObject({
      regionName: 'RegionOne',
      interface: 'public',
      imageEndpointOverride: 'http://glance.internal:9292/',
    });
  });

  it('accepts the legacy endpoint_type key', () => {
    expect(load(passwordCloud({ endpoint_type: 'adminURL' })).interface).toBe('admin');
  });

  it('rejects an unknown interface, naming it', () => {
    const error = thrownBy(() => load(passwordCloud({ interface: 'private' })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('interface "private"');
    expect(error.message).toContain('"named"');
  });

  it('rejects an image_endpoint_override that is not an http(s) URL', () => {
    expect(thrownBy(() => load(passwordCloud({ image_endpoint_override: 'glance:9292' }))).message).toContain(
      'image_endpoint_override',
    );
  });

  it('turns verification off with verify: false, or insecure as a bool or a "true" string', () => {
    expect(load(passwordCloud({ verify: false })).tls.verify).toBe(false);
    expect(load(passwordCloud({ insecure: true })).tls.verify).toBe(false);
    expect(load(passwordCloud({ insecure: 'True' })).tls.verify).toBe(false);
    expect(load(passwordCloud({ insecure: 'false', verify: true })).tls.verify).toBe(true);
  });

  it("reads clouds.yaml with PyYAML's rules, as openstacksdk does: `verify: no` is false", () => {
    const ws = createWorkspace();
    ws.write(
      ws.cwd,
      'clouds.yaml',
      'clouds:\n  named:\n    verify: no\n    auth:\n      auth_url: https://k.example/v3\n      username: u\n      password: p-secret\n      project_name: p\n      user_domain_name: Default\n      project_domain_name: Default\n',
    );
    expect(loadCloud(ws.options({ OS_CLOUD: 'named' })).tls.verify).toBe(false);
  });

  it('lets insecure win over verify: true', () => {
    expect(load(passwordCloud({ insecure: true, verify: true })).tls.verify).toBe(false);
  });

  it('rejects a flag that is neither true nor false', () => {
    expect(thrownBy(() => load(passwordCloud({ insecure: 'maybe' }))).message).toContain(
      'insecure must be true or false',
    );
  });

  it('reads cacert, cert and key, expanding ~/', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', {
      clouds: { c: passwordCloud({ cacert: '~/ca.pem', cert: '/tls/client.pem', key: '/tls/client.key' }) },
    });

    expect(loadCloud(ws.options()).tls).toEqual({
      verify: true,
      caCertFile: path.join(ws.home, 'ca.pem'),
      certFile: '/tls/client.pem',
      keyFile: '/tls/client.key',
    });
  });

  it('rejects a key without a cert', () => {
    expect(thrownBy(() => load(passwordCloud({ key: '/tls/client.key' }))).message).toContain(
      'key is set without cert',
    );
  });

  describe('regions list', () => {
    const regions = ['RegionOne', { name: 'RegionTwo', values: { interface: 'internal' } }];

    it('takes the first region when none is asked for', () => {
      expect(load(passwordCloud({ regions })).regionName).toBe('RegionOne');
    });

    it('takes the requested region and its values', () => {
      const cloud = load(passwordCloud({ regions }), { OS_REGION_NAME: 'RegionTwo' });
      expect(cloud).toMatchObject({ regionName: 'RegionTwo', interface: 'internal' });
    });

    it('rejects a region that is not in the list, listing those that are', () => {
      const error = thrownBy(() => load(passwordCloud({ regions, region_name: 'RegionNine' })));
      expect(error.message).toContain('region "RegionNine" is not one of its regions (RegionOne, RegionTwo)');
    });
  });
});
