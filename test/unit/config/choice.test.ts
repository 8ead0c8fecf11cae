import { describe, expect, it } from 'vitest';
import { ConfigError, listClouds, loadCloud } from '../../../src/config/index.js';
import { createWorkspace, passwordCloud, thrownBy } from './workspace.js';

function twoClouds() {
  const ws = createWorkspace();
  const file = ws.write(ws.cwd, 'clouds.yaml', {
    clouds: {
      alpha: passwordCloud({ region_name: 'A' }),
      beta: passwordCloud({ region_name: 'B' }),
    },
  });
  return { ws, file };
}

const ENV_AUTH = {
  OS_AUTH_URL: 'https://env-keystone.example.com/v3',
  OS_USERNAME: 'env-user',
  OS_PASSWORD: 'env-password',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_NAME: 'env-project',
  OS_PROJECT_DOMAIN_NAME: 'Default',
};

describe('choosing the cloud', () => {
  it('takes the explicit name first, over $OS_CLOUD', () => {
    const { ws } = twoClouds();

    const cloud = loadCloud(ws.options({ OS_CLOUD: 'alpha' }, 'beta'));

    expect(cloud.name).toBe('beta');
    expect(cloud.regionName).toBe('B');
  });

  it('takes $OS_CLOUD when no name is given', () => {
    const { ws } = twoClouds();

    expect(loadCloud(ws.options({ OS_CLOUD: 'alpha' })).regionName).toBe('A');
  });

  it('takes the only cloud when none is named', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { solo: passwordCloud() } });

    expect(loadCloud(ws.options()).name).toBe('solo');
  });

  it('refuses to guess between several clouds, listing them', () => {
    const { ws, file } = twoClouds();

    const error = thrownBy(() => loadCloud(ws.options()));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('alpha, beta');
    expect(error.message).toContain(file);
    expect(error.message).toContain('OS_CLOUD');
  });

  it('builds the "envvars" cloud from OS_* variables when no cloud is named', () => {
    const { ws } = twoClouds();

    const cloud = loadCloud(ws.options({ ...ENV_AUTH, OS_REGION_NAME: 'EnvRegion' }));

    expect(cloud).toEqual({
      name: 'envvars',
      sources: ['environment'],
      auth: {
        type: 'password',
        authUrl: 'https://env-keystone.example.com/v3',
        username: 'env-user',
        userDomainName: 'Default',
        password: 'env-password',
        scope: { projectName: 'env-project', projectDomainName: 'Default' },
      },
      regionName: 'EnvRegion',
      interface: 'public',
      tls: { verify: true },
    });
  });

  it('needs no clouds.yaml for the environment cloud', () => {
    const ws = createWorkspace();

    expect(loadCloud(ws.options(ENV_AUTH)).name).toBe('envvars');
  });

  it('does not build an environment cloud without OS_AUTH_URL: the only file cloud is used', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { solo: passwordCloud() } });

    const cloud = loadCloud(ws.options({ OS_REGION_NAME: 'R2', OS_PASSWORD: 'env-password' }));

    expect(cloud.name).toBe('solo');
    expect(cloud.regionName).toBe('R2');
    expect(cloud.auth).toMatchObject({ password: 'env-password' });
  });

  it('lets $OS_CLOUD pick a file cloud even when OS_AUTH_URL is set', () => {
    const { ws } = twoClouds();

    const cloud = loadCloud(ws.options({ OS_CLOUD: 'beta', OS_AUTH_URL: 'https://override.example.com' }));

    expect(cloud.name).toBe('beta');
    expect(cloud.auth.authUrl).toBe('https://override.example.com');
  });

  it('answers to the name "envvars" when the file has no such cloud', () => {
    const { ws } = twoClouds();

    expect(loadCloud(ws.options(ENV_AUTH, 'envvars')).sources).toEqual(['environment']);
  });

  it('ignores empty variables (OS_CLOUD="" is unset)', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { solo: passwordCloud() } });

    expect(loadCloud(ws.options({ OS_CLOUD: '', OS_AUTH_URL: '' })).name).toBe('solo');
  });

  describe('an unknown cloud', () => {
    it('lists the clouds that exist and the file', () => {
      const { ws, file } = twoClouds();

      const error = thrownBy(() => loadCloud(ws.options({}, 'gamma')));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('"gamma"');
      expect(error.message).toContain('alpha, beta');
      expect(error.message).toContain(file);
    });

    it('says where it looked when there is no clouds.yaml', () => {
      const ws = createWorkspace();

      const error = thrownBy(() => loadCloud(ws.options({ OS_CLOUD: 'gamma' })));

      expect(error.message).toContain('"gamma"');
      expect(error.message).toContain(ws.userDir);
      expect(error.message).toContain(ws.systemDir);
    });
  });

  it('explains that nothing is configured when there is neither a file nor OS_AUTH_URL', () => {
    const error = thrownBy(() => loadCloud(createWorkspace().options()));

    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/no clouds\.yaml.*OS_AUTH_URL/);
  });

  it('treats an empty clouds.yaml as defining no clouds', () => {
    const ws = createWorkspace();
    const file = ws.write(ws.cwd, 'clouds.yaml', '');

    expect(listClouds(ws.options())).toEqual([]);
    expect(thrownBy(() => loadCloud(ws.options())).message).toContain(`${file} defines no clouds`);
  });

  it('lists the clouds of clouds.yaml and secure.yaml in file order', () => {
    const ws = createWorkspace();
    ws.write(ws.cwd, 'clouds.yaml', { clouds: { zeta: passwordCloud(), alpha: passwordCloud() } });
    ws.write(ws.cwd, 'secure.yaml', { clouds: { alpha: { auth: { password: 'x' } }, omega: { auth: {} } } });

    expect(listClouds(ws.options())).toEqual(['zeta', 'alpha', 'omega']);
  });
});
