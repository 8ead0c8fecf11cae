import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, listClouds, loadCloud } from '../../../src/config/index.js';
import { createWorkspace, passwordCloud, thrownBy } from './workspace.js';

/** A file defining one cloud named after where it lives, so the test can tell which file was read. */
function cloudsNamed(name: string): object {
  return { clouds: { [name]: passwordCloud() } };
}

describe('clouds.yaml search', () => {
  it('prefers the current directory over ~/.config/openstack and the system dir', () => {
    const ws = createWorkspace();
    const inCwd = ws.write(ws.cwd, 'clouds.yaml', cloudsNamed('from-cwd'));
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('from-home'));
    ws.write(ws.systemDir, 'clouds.yaml', cloudsNamed('from-etc'));

    const cloud = loadCloud(ws.options());

    expect(cloud.name).toBe('from-cwd');
    expect(cloud.sources).toEqual([inCwd]);
  });

  it('falls back to ~/.config/openstack, then to the system dirs', () => {
    const ws = createWorkspace();
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('from-home'));
    ws.write(ws.systemDir, 'clouds.yaml', cloudsNamed('from-etc'));
    expect(loadCloud(ws.options()).name).toBe('from-home');

    const systemOnly = createWorkspace();
    systemOnly.write(systemOnly.systemDir, 'clouds.yaml', cloudsNamed('from-etc'));
    expect(loadCloud(systemOnly.options()).name).toBe('from-etc');
  });

  it('takes the first file found only: no merging across directories', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', cloudsNamed('from-cwd'));
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('from-home'));

    expect(listClouds(ws.options())).toEqual(['from-cwd']);
  });

  it('tries clouds.yaml, clouds.yml, clouds.json in that order within a directory', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yml', cloudsNamed('yml'));
    ws.write(ws.cwd, 'clouds.json', JSON.stringify(cloudsNamed('json')));
    expect(loadCloud(ws.options()).name).toBe('yml');

    ws.write(ws.cwd, 'clouds.yaml', cloudsNamed('yaml'));
    expect(loadCloud(ws.options()).name).toBe('yaml');
  });

  it('reads clouds.json as JSON', () => {
    const ws = createWorkspace();
    const file = ws.write(ws.userDir, 'clouds.json', JSON.stringify(cloudsNamed('json')));

    const cloud = loadCloud(ws.options());

    expect(cloud.name).toBe('json');
    expect(cloud.sources).toEqual([file]);
    expect(cloud.auth).toMatchObject({ type: 'password', username: 'alice' });
  });

  it('a clouds.yml in the current directory wins over a clouds.yaml further down the path', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yml', cloudsNamed('cwd-yml'));
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('home-yaml'));

    expect(loadCloud(ws.options()).name).toBe('cwd-yml');
  });

  it('honours $XDG_CONFIG_HOME before ~/.config (openstacksdk uses platformdirs)', () => {
    const ws = createWorkspace();
    const xdg = path.join(ws.home, 'xdg');
    ws.write(path.join(xdg, 'openstack'), 'clouds.yaml', cloudsNamed('from-xdg'));
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('from-home'));

    expect(loadCloud(ws.options({ XDG_CONFIG_HOME: xdg })).name).toBe('from-xdg');
  });

  describe('$OS_CLIENT_CONFIG_FILE', () => {
    it('reads only the named file, even when clouds.yaml exists in the search path', () => {
      const ws = createWorkspace();
      ws.write(ws.cwd, 'clouds.yaml', cloudsNamed('from-cwd'));
      const chosen = ws.write(ws.home, 'elsewhere/my-clouds.yaml', cloudsNamed('from-override'));

      const cloud = loadCloud(ws.options({ OS_CLIENT_CONFIG_FILE: chosen }));

      expect(cloud.name).toBe('from-override');
      expect(cloud.sources).toEqual([chosen]);
    });

    it('resolves a relative path against cwd and parses a .json name as JSON', () => {
      const ws = createWorkspace();
      ws.write(ws.cwd, 'conf/c.json', JSON.stringify(cloudsNamed('relative')));

      expect(loadCloud(ws.options({ OS_CLIENT_CONFIG_FILE: 'conf/c.json' })).name).toBe('relative');
    });

    it('is an error when the file does not exist, naming the variable and the path', () => {
      const ws = createWorkspace();
      ws.write(ws.cwd, 'clouds.yaml', cloudsNamed('from-cwd'));
      const missing = path.join(ws.home, 'nope.yaml');

      const error = thrownBy(() => loadCloud(ws.options({ OS_CLIENT_CONFIG_FILE: missing })));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('OS_CLIENT_CONFIG_FILE');
      expect(error.message).toContain(missing);
    });
  });

  it('ignores a directory named clouds.yaml', () => {
    const ws = createWorkspace();
    ws.write(path.join(ws.cwd, 'clouds.yaml'), 'placeholder', 'x');
    ws.write(ws.userDir, 'clouds.yaml', cloudsNamed('from-home'));

    expect(loadCloud(ws.options()).name).toBe('from-home');
  });

  it('lists nothing when there is no file at all', () => {
    expect(listClouds(createWorkspace().options())).toEqual([]);
  });
});

describe('secure.yaml', () => {
  it('is deep-merged over clouds.yaml, its values winning', () => {
    const ws = createWorkspace();
    const cloudsFile = ws.write(ws.cwd, 'clouds.yaml', {
      clouds: {
        prod: {
          region_name: 'RegionOne',
          auth: { auth_url: 'https://k.example.com', username: 'alice', password: 'stale', user_domain_id: 'default' },
        },
      },
    });
    // Lives in another search directory: secure.yaml is searched on its own.
    const secureFile = ws.write(ws.userDir, 'secure.yaml', {
      clouds: { prod: { auth: { password: 'from-secure', project_id: 'p-1' } } },
    });

    const cloud = loadCloud(ws.options());

    expect(cloud.auth).toEqual({
      type: 'password',
      authUrl: 'https://k.example.com',
      username: 'alice',
      userDomainId: 'default',
      password: 'from-secure',
      scope: { projectId: 'p-1' },
    });
    expect(cloud.regionName).toBe('RegionOne');
    expect(cloud.sources).toEqual([cloudsFile, secureFile]);
  });

  it('is found as secure.json, and at $OS_CLIENT_SECURE_FILE', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', {
      clouds: { prod: passwordCloud({ auth: { auth_url: 'https://k', user_id: 'u' } }) },
    });
    ws.write(ws.cwd, 'secure.json', JSON.stringify({ clouds: { prod: { auth: { password: 'from-json' } } } }));
    expect(loadCloud(ws.options()).auth).toMatchObject({ password: 'from-json' });

    const override = ws.write(ws.home, 'vault/secrets.yaml', {
      clouds: { prod: { auth: { password: 'from-override' } } },
    });
    expect(loadCloud(ws.options({ OS_CLIENT_SECURE_FILE: override })).auth).toMatchObject({
      password: 'from-override',
    });
  });

  it('is an error when $OS_CLIENT_SECURE_FILE names a missing file', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { prod: passwordCloud() } });

    const error = thrownBy(() => loadCloud(ws.options({ OS_CLIENT_SECURE_FILE: path.join(ws.home, 'gone.yaml') })));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('OS_CLIENT_SECURE_FILE');
  });
});
