import type { SlurmDataSourceOptions, SlurmSecureJsonData } from './types';

/** Defaults and limits shared with the backend's settings parser (pkg/plugin); keep them in step. */
export const SETTINGS_DEFAULTS = {
  apiVersion: 'auto',
  authMode: 'token',
  jwtLifespanSeconds: 900,
  refreshIntervalSeconds: 30,
  staleLimitSeconds: 600,
  timeoutSeconds: 10,
  maxRows: 10000,
} as const;

export const SETTINGS_LIMITS = {
  jwtLifespanSecondsMax: 900,
  refreshIntervalSecondsMin: 10,
  timeoutSecondsMax: 300,
  /** The backend's ceiling on maxRows (pkg/query MaxLimit, pkg/plugin settings). */
  maxRowsMax: 25000,
} as const;

export type SettingsField =
  | 'url'
  | 'slurmUser'
  | 'token'
  | 'jwtKey'
  | 'jwtLifespanSeconds'
  | 'refreshIntervalSeconds'
  | 'staleLimitSeconds'
  | 'timeoutSeconds'
  | 'tlsCACert'
  | 'maxRows';

export type SettingsErrors = Partial<Record<SettingsField, string>>;

export interface SettingsInput {
  url: string;
  jsonData: SlurmDataSourceOptions;
  /** Secrets typed in this session; Grafana never sends stored ones back. */
  secureJsonData?: SlurmSecureJsonData;
  /** Which secrets are already stored on the server. */
  secureJsonFields: Record<string, boolean>;
}

/** A slurm user name as Slurm accepts it (POSIX-ish login names). */
const SLURM_USER = /^[a-z_][a-z0-9_.-]*\$?$/i;

export function validateUrl(raw: string): string | undefined {
  const url = raw.trim();
  if (url === '') {
    return 'URL is required: the slurmrestd base URL, e.g. http://127.0.0.1:6820 or unix:///run/slurmrestd/slurmrestd.socket';
  }
  if (url.startsWith('unix://')) {
    const path = url.slice('unix://'.length);
    if (!path.startsWith('/')) {
      return `unix socket URL must name an absolute path (unix:///path/to/slurmrestd.socket), got "${url}"`;
    }
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL; use http://host:port, https://host:port or unix:///path/to/socket`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `URL scheme "${parsed.protocol.replace(':', '')}" is not supported; use http, https or unix`;
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    return 'URL must be the slurmrestd base URL without query string or fragment';
  }
  return undefined;
}

function checkInteger(
  value: number | undefined,
  label: string,
  min: number,
  max: number | undefined
): string | undefined {
  if (value === undefined) {
    return undefined; // the default applies
  }
  if (!Number.isInteger(value)) {
    return `${label} must be a whole number of seconds`;
  }
  if (value < min) {
    return `${label} must be at least ${min} seconds`;
  }
  if (max !== undefined && value > max) {
    return `${label} must be at most ${max} seconds`;
  }
  return undefined;
}

/** Checks the settings as the user typed them; every message names the field and the rule it breaks. */
export function validateSettings(input: SettingsInput): SettingsErrors {
  const { jsonData, secureJsonFields } = input;
  const secure = input.secureJsonData ?? {};
  const errors: SettingsErrors = {};

  const urlError = validateUrl(input.url);
  if (urlError) {
    errors.url = urlError;
  }

  const user = (jsonData.slurmUser ?? '').trim();
  if (user === '') {
    errors.slurmUser = 'Slurm user is required: slurmrestd acts as this user (X-SLURM-USER-NAME)';
  } else if (!SLURM_USER.test(user)) {
    errors.slurmUser = `"${user}" is not a valid Slurm user name`;
  }

  const authMode = jsonData.authMode ?? SETTINGS_DEFAULTS.authMode;
  if (authMode === 'token' && !secureJsonFields.token && !secure.token) {
    errors.token = 'Token is required in token mode (scontrol token username=<user> lifespan=<seconds>)';
  }
  if (authMode === 'jwtKey' && !secureJsonFields.jwtKey && !secure.jwtKey) {
    errors.jwtKey = 'JWT key is required in JWT key mode (the HS256 key slurmctld uses, e.g. jwt_hs256.key)';
  }

  const lifespan = checkInteger(
    jsonData.jwtLifespanSeconds,
    'Token lifespan',
    1,
    SETTINGS_LIMITS.jwtLifespanSecondsMax
  );
  if (lifespan) {
    errors.jwtLifespanSeconds = lifespan;
  }
  const refresh = checkInteger(
    jsonData.refreshIntervalSeconds,
    'Refresh interval',
    SETTINGS_LIMITS.refreshIntervalSecondsMin,
    undefined
  );
  if (refresh) {
    errors.refreshIntervalSeconds = refresh;
  }
  const timeout = checkInteger(jsonData.timeoutSeconds, 'Timeout', 1, SETTINGS_LIMITS.timeoutSecondsMax);
  if (timeout) {
    errors.timeoutSeconds = timeout;
  }
  const stale = checkInteger(jsonData.staleLimitSeconds, 'Stale limit', 0, undefined);
  if (stale) {
    errors.staleLimitSeconds = stale;
  } else if (!errors.refreshIntervalSeconds) {
    const staleLimit = jsonData.staleLimitSeconds ?? SETTINGS_DEFAULTS.staleLimitSeconds;
    const refreshEvery = jsonData.refreshIntervalSeconds ?? SETTINGS_DEFAULTS.refreshIntervalSeconds;
    if (staleLimit < refreshEvery) {
      errors.staleLimitSeconds = `Stale limit (${staleLimit} s) must not be shorter than the refresh interval (${refreshEvery} s)`;
    }
  }

  const maxRows = jsonData.maxRows;
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > SETTINGS_LIMITS.maxRowsMax)) {
    errors.maxRows = `Maximum rows must be a whole number from 1 to ${SETTINGS_LIMITS.maxRowsMax}`;
  }

  if (jsonData.tlsWithCACert && !secureJsonFields.tlsCACert && !secure.tlsCACert) {
    errors.tlsCACert = 'CA certificate is required when "With CA cert" is on (PEM, -----BEGIN CERTIFICATE-----)';
  } else if (secure.tlsCACert && !secure.tlsCACert.includes('-----BEGIN CERTIFICATE-----')) {
    errors.tlsCACert = 'CA certificate must be PEM encoded (-----BEGIN CERTIFICATE-----)';
  }

  return errors;
}
