import { validateSettings, validateUrl, type SettingsInput } from './settings';

function input(overrides: Partial<SettingsInput> = {}): SettingsInput {
  return {
    url: 'http://127.0.0.1:6820',
    jsonData: { slurmUser: 'grafana', authMode: 'token' },
    secureJsonFields: { token: true },
    ...overrides,
  };
}

describe('validateUrl', () => {
  it.each(['http://127.0.0.1:6820', 'https://slurm.example.org:6820/', 'unix:///run/slurmrestd/slurmrestd.socket'])(
    'accepts %s',
    (url) => {
      expect(validateUrl(url)).toBeUndefined();
    }
  );

  it('requires a URL and says which forms are accepted', () => {
    expect(validateUrl('  ')).toMatch(/URL is required.*unix:\/\//);
  });

  it('rejects a relative unix socket path', () => {
    expect(validateUrl('unix://run/slurmrestd.socket')).toMatch(/absolute path/);
  });

  it('rejects other schemes by name', () => {
    expect(validateUrl('ftp://host')).toBe('URL scheme "ftp" is not supported; use http, https or unix');
  });

  it('rejects text that is not a URL', () => {
    expect(validateUrl('slurm host')).toMatch(/"slurm host" is not a URL/);
  });

  it('rejects a query string', () => {
    expect(validateUrl('http://h:6820/?x=1')).toMatch(/without query string/);
  });
});

describe('validateSettings', () => {
  it('accepts a complete token configuration with the defaults', () => {
    expect(validateSettings(input())).toEqual({});
  });

  it('requires the token in token mode unless one is stored or typed', () => {
    expect(validateSettings(input({ secureJsonFields: {} })).token).toMatch(/Token is required/);
    expect(validateSettings(input({ secureJsonFields: {}, secureJsonData: { token: 'abc' } })).token).toBeUndefined();
  });

  it('requires the JWT key in jwtKey mode, not the token', () => {
    const errors = validateSettings(
      input({ jsonData: { slurmUser: 'grafana', authMode: 'jwtKey' }, secureJsonFields: {} })
    );
    expect(errors.jwtKey).toMatch(/JWT key is required/);
    expect(errors.token).toBeUndefined();
  });

  it('requires a valid Slurm user', () => {
    expect(validateSettings(input({ jsonData: { authMode: 'token' } })).slurmUser).toMatch(/Slurm user is required/);
    expect(validateSettings(input({ jsonData: { slurmUser: 'bad user', authMode: 'token' } })).slurmUser).toBe(
      '"bad user" is not a valid Slurm user name'
    );
  });

  it('enforces the limits on intervals with messages that name the field', () => {
    const errors = validateSettings(
      input({
        jsonData: {
          slurmUser: 'grafana',
          jwtLifespanSeconds: 901,
          refreshIntervalSeconds: 5,
          timeoutSeconds: 0,
          staleLimitSeconds: 1.5,
        },
      })
    );
    expect(errors).toEqual({
      jwtLifespanSeconds: 'Token lifespan must be at most 900 seconds',
      refreshIntervalSeconds: 'Refresh interval must be at least 10 seconds',
      timeoutSeconds: 'Timeout must be at least 1 seconds',
      staleLimitSeconds: 'Stale limit must be a whole number of seconds',
    });
  });

  it('refuses a stale limit shorter than the refresh interval', () => {
    const errors = validateSettings(
      input({ jsonData: { slurmUser: 'grafana', refreshIntervalSeconds: 60, staleLimitSeconds: 30 } })
    );
    expect(errors.staleLimitSeconds).toBe('Stale limit (30 s) must not be shorter than the refresh interval (60 s)');
  });

  it('requires a PEM CA certificate when "with CA cert" is on', () => {
    const on = { slurmUser: 'grafana', tlsWithCACert: true };
    expect(validateSettings(input({ jsonData: on })).tlsCACert).toMatch(/CA certificate is required/);
    expect(validateSettings(input({ jsonData: on, secureJsonData: { tlsCACert: 'not a cert' } })).tlsCACert).toMatch(
      /PEM encoded/
    );
    expect(
      validateSettings(input({ jsonData: on, secureJsonFields: { token: true, tlsCACert: true } })).tlsCACert
    ).toBeUndefined();
  });
});
