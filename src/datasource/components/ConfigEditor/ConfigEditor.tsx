import React, { ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps, SelectableValue } from '@grafana/data';
import {
  Combobox,
  type ComboboxOption,
  Field,
  FieldSet,
  Input,
  InlineSwitch,
  RadioButtonGroup,
  SecretInput,
  SecretTextArea,
} from '@grafana/ui';
import {
  API_VERSIONS,
  type ApiVersion,
  type AuthMode,
  type SlurmDataSourceOptions,
  type SlurmSecureJsonData,
} from '../../types';
import { SETTINGS_DEFAULTS, SETTINGS_LIMITS, validateSettings } from '../../settings';
import { ActionSettings } from './ActionSettings';

type Props = DataSourcePluginOptionsEditorProps<SlurmDataSourceOptions, SlurmSecureJsonData>;
type SecretKey = keyof SlurmSecureJsonData;
type NumberKey = 'jwtLifespanSeconds' | 'refreshIntervalSeconds' | 'staleLimitSeconds' | 'timeoutSeconds' | 'maxRows';

const API_VERSION_OPTIONS: Array<ComboboxOption<ApiVersion>> = [
  { label: 'Auto-detect', value: 'auto', description: 'Use the newest API version the server offers' },
  ...API_VERSIONS.map((v) => ({ label: v, value: v })),
];

const AUTH_MODE_OPTIONS: Array<SelectableValue<AuthMode>> = [
  { label: 'Token', value: 'token', description: 'A static token for the Slurm user (scontrol token)' },
  { label: 'JWT key', value: 'jwtKey', description: 'The HS256 key; the backend mints short-lived tokens' },
];

const LABEL_WIDTH = 60;

/** Empty input means "use the default": undefined, never 0. */
function parseNumber(raw: string): number | undefined {
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const secureJsonData = options.secureJsonData ?? {};
  const secureJsonFields = options.secureJsonFields ?? {};
  const authMode = jsonData.authMode ?? SETTINGS_DEFAULTS.authMode;
  const errors = validateSettings({ url: options.url ?? '', jsonData, secureJsonData, secureJsonFields });

  const setJsonData = (patch: Partial<SlurmDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  const setSecret = (key: SecretKey) => (event: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: event.currentTarget.value } });

  // Reset forgets the stored secret: Grafana deletes it when secureJsonFields[key] is false on save.
  const resetSecret = (key: SecretKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  const setNumber = (key: NumberKey) => (event: ChangeEvent<HTMLInputElement>) =>
    setJsonData({ [key]: parseNumber(event.target.value) });

  const numberValue = (key: NumberKey) => (jsonData[key] === undefined ? '' : String(jsonData[key]));

  return (
    <>
      <FieldSet label="Connection">
        <Field
          label="URL"
          description="slurmrestd base URL: http://host:6820, https://host:6820 or unix:///path/to/slurmrestd.socket (a local socket)"
          invalid={Boolean(errors.url)}
          error={errors.url}
          required
        >
          <Input
            id="slurm-url"
            width={LABEL_WIDTH}
            value={options.url ?? ''}
            placeholder="http://127.0.0.1:6820"
            onChange={(e: ChangeEvent<HTMLInputElement>) => onOptionsChange({ ...options, url: e.target.value.trim() })}
          />
        </Field>
        <Field label="API version" description="Pin a version only if auto-detection picks the wrong one">
          <Combobox<ApiVersion>
            id="slurm-api-version"
            width={LABEL_WIDTH}
            options={API_VERSION_OPTIONS}
            value={jsonData.apiVersion ?? SETTINGS_DEFAULTS.apiVersion}
            onChange={(v) => setJsonData({ apiVersion: v.value })}
          />
        </Field>
        <Field
          label="Timeout (seconds)"
          description={`Per request to slurmrestd; default ${SETTINGS_DEFAULTS.timeoutSeconds}`}
          invalid={Boolean(errors.timeoutSeconds)}
          error={errors.timeoutSeconds}
        >
          <Input
            id="slurm-timeout"
            type="number"
            width={20}
            placeholder={String(SETTINGS_DEFAULTS.timeoutSeconds)}
            value={numberValue('timeoutSeconds')}
            onChange={setNumber('timeoutSeconds')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Authentication">
        <Field label="Auth mode">
          <RadioButtonGroup<AuthMode>
            options={AUTH_MODE_OPTIONS}
            value={authMode}
            onChange={(v) => setJsonData({ authMode: v })}
          />
        </Field>
        <Field
          label="Slurm user"
          description="Sent as X-SLURM-USER-NAME; a dedicated unprivileged account is recommended"
          invalid={Boolean(errors.slurmUser)}
          error={errors.slurmUser}
          required
        >
          <Input
            id="slurm-user"
            width={LABEL_WIDTH}
            value={jsonData.slurmUser ?? ''}
            placeholder="grafana"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJsonData({ slurmUser: e.target.value.trim() })}
          />
        </Field>
        {authMode === 'token' ? (
          <Field
            label="Token"
            description="scontrol token username=<user> lifespan=<seconds>; stored encrypted, never shown again"
            invalid={Boolean(errors.token)}
            error={errors.token}
            required
          >
            <SecretInput
              id="slurm-token"
              width={LABEL_WIDTH}
              isConfigured={Boolean(secureJsonFields.token)}
              value={secureJsonData.token ?? ''}
              placeholder="eyJhbGciOi…"
              onChange={setSecret('token')}
              onReset={resetSecret('token')}
            />
          </Field>
        ) : (
          <>
            <Field
              label="JWT key"
              description={
                <>
                  The HS256 key slurmctld verifies (AuthAltParameters jwt_key=…). Slurm&apos;s key file is binary: enter
                  the line <code>echo &quot;base64:$(base64 -w0 /etc/slurm/jwt_hs256.key)&quot;</code> prints. A text
                  key can be entered as it is. Stored encrypted, never shown again.
                </>
              }
              invalid={Boolean(errors.jwtKey)}
              error={errors.jwtKey}
              required
            >
              <SecretInput
                id="slurm-jwt-key"
                width={LABEL_WIDTH}
                isConfigured={Boolean(secureJsonFields.jwtKey)}
                value={secureJsonData.jwtKey ?? ''}
                placeholder="base64:…"
                onChange={setSecret('jwtKey')}
                onReset={resetSecret('jwtKey')}
              />
            </Field>
            <Field
              label="Token lifespan (seconds)"
              description={`Lifetime of each minted token; at most ${SETTINGS_LIMITS.jwtLifespanSecondsMax}`}
              invalid={Boolean(errors.jwtLifespanSeconds)}
              error={errors.jwtLifespanSeconds}
            >
              <Input
                id="slurm-jwt-lifespan"
                type="number"
                width={20}
                placeholder={String(SETTINGS_DEFAULTS.jwtLifespanSeconds)}
                value={numberValue('jwtLifespanSeconds')}
                onChange={setNumber('jwtLifespanSeconds')}
              />
            </Field>
          </>
        )}
      </FieldSet>

      <FieldSet label="Caching">
        <Field
          label="Refresh interval (seconds)"
          description={`How often the backend polls slurmrestd, whatever the number of viewers; at least ${SETTINGS_LIMITS.refreshIntervalSecondsMin}`}
          invalid={Boolean(errors.refreshIntervalSeconds)}
          error={errors.refreshIntervalSeconds}
        >
          <Input
            id="slurm-refresh-interval"
            type="number"
            width={20}
            placeholder={String(SETTINGS_DEFAULTS.refreshIntervalSeconds)}
            value={numberValue('refreshIntervalSeconds')}
            onChange={setNumber('refreshIntervalSeconds')}
          />
        </Field>
        <Field
          label="Stale limit (seconds)"
          description="How long the last good answer is served (marked stale) while slurmrestd fails; then queries error"
          invalid={Boolean(errors.staleLimitSeconds)}
          error={errors.staleLimitSeconds}
        >
          <Input
            id="slurm-stale-limit"
            type="number"
            width={20}
            placeholder={String(SETTINGS_DEFAULTS.staleLimitSeconds)}
            value={numberValue('staleLimitSeconds')}
            onChange={setNumber('staleLimitSeconds')}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Queries">
        <Field
          label="Maximum rows"
          description={`Upper bound of a table query's limit; bigger answers are cut and say so. Default ${SETTINGS_DEFAULTS.maxRows}`}
          invalid={Boolean(errors.maxRows)}
          error={errors.maxRows}
        >
          <Input
            id="slurm-max-rows"
            type="number"
            width={20}
            placeholder={String(SETTINGS_DEFAULTS.maxRows)}
            value={numberValue('maxRows')}
            onChange={setNumber('maxRows')}
          />
        </Field>
      </FieldSet>

      <ActionSettings jsonData={jsonData} setJsonData={setJsonData} labelWidth={LABEL_WIDTH} />

      <FieldSet label="TLS">
        <Field
          label="Skip TLS verify"
          description="Accept any server certificate (testing only)"
          htmlFor="slurm-tls-skip-verify"
        >
          <InlineSwitch
            id="slurm-tls-skip-verify"
            value={Boolean(jsonData.tlsSkipVerify)}
            onChange={(e) => setJsonData({ tlsSkipVerify: e.currentTarget.checked })}
          />
        </Field>
        <Field
          label="With CA cert"
          description="Verify the server against your own CA"
          htmlFor="slurm-tls-with-ca-cert"
        >
          <InlineSwitch
            id="slurm-tls-with-ca-cert"
            value={Boolean(jsonData.tlsWithCACert)}
            onChange={(e) => setJsonData({ tlsWithCACert: e.currentTarget.checked })}
          />
        </Field>
        {jsonData.tlsWithCACert && (
          <Field label="CA certificate" invalid={Boolean(errors.tlsCACert)} error={errors.tlsCACert} required>
            <SecretTextArea
              id="slurm-tls-ca-cert"
              cols={60}
              rows={6}
              isConfigured={Boolean(secureJsonFields.tlsCACert)}
              value={secureJsonData.tlsCACert ?? ''}
              placeholder="-----BEGIN CERTIFICATE-----"
              onChange={setSecret('tlsCACert')}
              onReset={resetSecret('tlsCACert')}
            />
          </Field>
        )}
      </FieldSet>
    </>
  );
}
