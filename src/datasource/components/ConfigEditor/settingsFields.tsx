import React from 'react';
import type { SelectableValue } from '@grafana/data';
import type { ComboboxOption } from '@grafana/ui';
import {
  API_VERSIONS,
  type ApiVersion,
  type AuthMode,
  type SlurmDataSourceOptions,
  type SlurmSecureJsonData,
} from '../../types';
import { SETTINGS_DEFAULTS, SETTINGS_LIMITS } from '../../settings';

export type NumberKey =
  'jwtLifespanSeconds' | 'refreshIntervalSeconds' | 'staleLimitSeconds' | 'timeoutSeconds' | 'maxRows';
export type SecretKey = keyof SlurmSecureJsonData;

interface Common {
  label: string;
  description?: React.ReactNode;
  /** Shown only while this holds (e.g. the secret of the chosen auth mode). */
  when?: (jsonData: SlurmDataSourceOptions) => boolean;
  /** The DOM id of the input, which the field's label points to (a radio group has none). */
  id?: string;
  /** Marked as required (the form's validation says what is missing). */
  required?: boolean;
}

/**
 * One field of the settings form. `text` edits the data source URL or a jsonData string (trimmed); `number`
 * a jsonData number (empty = unset, its default shown as placeholder); `secret` a secureJsonData value Grafana
 * never sends back; `switch` a jsonData flag; `apiVersion` and `authMode` their choices.
 */
export type SettingsFieldSpec = Common &
  (
    | { type: 'text'; key: 'url' | 'slurmUser'; placeholder: string }
    | { type: 'number'; key: NumberKey }
    | { type: 'secret'; key: SecretKey; placeholder: string; multiline?: boolean }
    | { type: 'switch'; key: 'tlsSkipVerify' | 'tlsWithCACert' }
    | { type: 'apiVersion'; key: 'apiVersion' }
    | { type: 'authMode'; key: 'authMode' }
  );

export interface SettingsSection {
  label: string;
  fields: SettingsFieldSpec[];
}

export const API_VERSION_OPTIONS: Array<ComboboxOption<ApiVersion>> = [
  { label: 'Auto-detect', value: 'auto', description: 'Use the newest API version the server offers' },
  ...API_VERSIONS.map((v) => ({ label: v, value: v })),
];

export const AUTH_MODE_OPTIONS: Array<SelectableValue<AuthMode>> = [
  { label: 'Token', value: 'token', description: 'A static token for the Slurm user (scontrol token)' },
  { label: 'JWT key', value: 'jwtKey', description: 'The HS256 key; the backend mints short-lived tokens' },
];

const inMode = (mode: AuthMode) => (jsonData: SlurmDataSourceOptions) =>
  (jsonData.authMode ?? SETTINGS_DEFAULTS.authMode) === mode;

export const CONNECTION: SettingsSection = {
  label: 'Connection',
  fields: [
    {
      type: 'text',
      key: 'url',
      id: 'slurm-url',
      label: 'URL',
      description:
        'slurmrestd base URL: http://host:6820, https://host:6820 or unix:///path/to/slurmrestd.socket (a local socket)',
      placeholder: 'http://127.0.0.1:6820',
      required: true,
    },
    {
      type: 'apiVersion',
      key: 'apiVersion',
      id: 'slurm-api-version',
      label: 'API version',
      description: 'Pin a version only if auto-detection picks the wrong one',
    },
    {
      type: 'number',
      key: 'timeoutSeconds',
      id: 'slurm-timeout',
      label: 'Timeout (seconds)',
      description: `Per request to slurmrestd; default ${SETTINGS_DEFAULTS.timeoutSeconds}`,
    },
  ],
};

export const AUTHENTICATION: SettingsSection = {
  label: 'Authentication',
  fields: [
    { type: 'authMode', key: 'authMode', label: 'Auth mode' },
    {
      type: 'text',
      key: 'slurmUser',
      id: 'slurm-user',
      label: 'Slurm user',
      description: 'Sent as X-SLURM-USER-NAME; a dedicated unprivileged account is recommended',
      placeholder: 'grafana',
      required: true,
    },
    {
      type: 'secret',
      key: 'token',
      id: 'slurm-token',
      label: 'Token',
      description: 'scontrol token username=<user> lifespan=<seconds>; stored encrypted, never shown again',
      placeholder: 'eyJhbGciOi…',
      required: true,
      when: inMode('token'),
    },
    {
      type: 'secret',
      key: 'jwtKey',
      id: 'slurm-jwt-key',
      label: 'JWT key',
      description: (
        <>
          The HS256 key slurmctld verifies (AuthAltParameters jwt_key=…). Slurm&apos;s key file is binary: enter the
          line <code>echo &quot;base64:$(base64 -w0 /etc/slurm/jwt_hs256.key)&quot;</code> prints. A text key can be
          entered as it is. Stored encrypted, never shown again.
        </>
      ),
      placeholder: 'base64:…',
      required: true,
      when: inMode('jwtKey'),
    },
    {
      type: 'number',
      key: 'jwtLifespanSeconds',
      id: 'slurm-jwt-lifespan',
      label: 'Token lifespan (seconds)',
      description: `Lifetime of each minted token; at most ${SETTINGS_LIMITS.jwtLifespanSecondsMax}`,
      when: inMode('jwtKey'),
    },
  ],
};

export const CACHING: SettingsSection = {
  label: 'Caching',
  fields: [
    {
      type: 'number',
      key: 'refreshIntervalSeconds',
      id: 'slurm-refresh-interval',
      label: 'Refresh interval (seconds)',
      description: `How often the backend polls slurmrestd, whatever the number of viewers; at least ${SETTINGS_LIMITS.refreshIntervalSecondsMin}`,
    },
    {
      type: 'number',
      key: 'staleLimitSeconds',
      id: 'slurm-stale-limit',
      label: 'Stale limit (seconds)',
      description: 'How long the last good answer is served (marked stale) while slurmrestd fails; then queries error',
    },
  ],
};

export const QUERIES: SettingsSection = {
  label: 'Queries',
  fields: [
    {
      type: 'number',
      key: 'maxRows',
      id: 'slurm-max-rows',
      label: 'Maximum rows',
      description: `Upper bound of a table query's limit; bigger answers are cut and say so. Default ${SETTINGS_DEFAULTS.maxRows}`,
    },
  ],
};

export const TLS: SettingsSection = {
  label: 'TLS',
  fields: [
    {
      type: 'switch',
      key: 'tlsSkipVerify',
      id: 'slurm-tls-skip-verify',
      label: 'Skip TLS verify',
      description: 'Accept any server certificate (testing only)',
    },
    {
      type: 'switch',
      key: 'tlsWithCACert',
      id: 'slurm-tls-with-ca-cert',
      label: 'With CA cert',
      description: 'Verify the server against your own CA',
    },
    {
      type: 'secret',
      key: 'tlsCACert',
      id: 'slurm-tls-ca-cert',
      label: 'CA certificate',
      placeholder: '-----BEGIN CERTIFICATE-----',
      multiline: true,
      required: true,
      when: (jsonData) => Boolean(jsonData.tlsWithCACert),
    },
  ],
};
