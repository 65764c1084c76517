import React, { type ChangeEvent } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import {
  Combobox,
  Field,
  FieldSet,
  Input,
  InlineSwitch,
  RadioButtonGroup,
  SecretInput,
  SecretTextArea,
} from '@grafana/ui';
import type { ApiVersion, AuthMode, SlurmDataSourceOptions, SlurmSecureJsonData } from '../../types';
import { SETTINGS_DEFAULTS, validateSettings, type SettingsErrors } from '../../settings';
import {
  API_VERSION_OPTIONS,
  AUTHENTICATION,
  AUTH_MODE_OPTIONS,
  CACHING,
  CONNECTION,
  QUERIES,
  TLS,
  type SecretKey,
  type SettingsFieldSpec,
  type SettingsSection,
} from './settingsFields';
import { ActionSettings } from './ActionSettings';

type Props = DataSourcePluginOptionsEditorProps<SlurmDataSourceOptions, SlurmSecureJsonData>;

const LABEL_WIDTH = 60;

/** Empty input means "use the default": undefined, never 0. */
function parseNumber(raw: string): number | undefined {
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : Number(trimmed);
}

/** The form's state and how each kind of field changes it. */
interface SettingsForm {
  options: Props['options'];
  errors: SettingsErrors;
  onOptionsChange: Props['onOptionsChange'];
  setJsonData: (patch: Partial<SlurmDataSourceOptions>) => void;
}

/** The settings form: each section's fields come from the tables in settingsFields.tsx. */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData } = options;
  const errors = validateSettings({
    url: options.url ?? '',
    jsonData,
    secureJsonData: options.secureJsonData ?? {},
    secureJsonFields: options.secureJsonFields ?? {},
  });
  const setJsonData = (patch: Partial<SlurmDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });
  const form: SettingsForm = { options, errors, onOptionsChange, setJsonData };

  return (
    <>
      <SettingsFieldSet form={form} section={CONNECTION} />
      <SettingsFieldSet form={form} section={AUTHENTICATION} />
      <SettingsFieldSet form={form} section={CACHING} />
      <SettingsFieldSet form={form} section={QUERIES} />
      <ActionSettings jsonData={jsonData} setJsonData={setJsonData} labelWidth={LABEL_WIDTH} />
      <SettingsFieldSet form={form} section={TLS} />
    </>
  );
}

function SettingsFieldSet({ form, section }: { form: SettingsForm; section: SettingsSection }) {
  const shown = section.fields.filter((spec) => !spec.when || spec.when(form.options.jsonData));
  return (
    <FieldSet label={section.label}>
      {shown.map((spec) => {
        const error = spec.key in form.errors ? form.errors[spec.key as keyof SettingsErrors] : undefined;
        return (
          <Field
            key={spec.key}
            label={spec.label}
            description={spec.description}
            invalid={Boolean(error)}
            error={error}
            required={spec.required}
            htmlFor={spec.id}
          >
            {settingsInput(form, spec)}
          </Field>
        );
      })}
    </FieldSet>
  );
}

/** The input of one field, by its kind: Field's own child, so Field marks it invalid, disabled or loading. */
function settingsInput(form: SettingsForm, spec: SettingsFieldSpec) {
  const { options, onOptionsChange, setJsonData } = form;
  const { jsonData } = options;
  const secureJsonData = options.secureJsonData ?? {};
  const secureJsonFields = options.secureJsonFields ?? {};

  const setSecret = (key: SecretKey) => (event: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: event.currentTarget.value } });
  // Reset forgets the stored secret: Grafana deletes it when secureJsonFields[key] is false on save.
  const resetSecret = (key: SecretKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  switch (spec.type) {
    case 'text':
      return (
        <Input
          id={spec.id}
          width={LABEL_WIDTH}
          value={(spec.key === 'url' ? options.url : jsonData[spec.key]) ?? ''}
          placeholder={spec.placeholder}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const value = e.target.value.trim();
            onOptionsChange(
              spec.key === 'url'
                ? { ...options, url: value }
                : { ...options, jsonData: { ...jsonData, [spec.key]: value } }
            );
          }}
        />
      );
    case 'number':
      return (
        <Input
          id={spec.id}
          type="number"
          width={20}
          placeholder={String(SETTINGS_DEFAULTS[spec.key])}
          value={jsonData[spec.key] === undefined ? '' : String(jsonData[spec.key])}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setJsonData({ [spec.key]: parseNumber(e.target.value) })}
        />
      );
    case 'secret': {
      const props = {
        id: spec.id,
        isConfigured: Boolean(secureJsonFields[spec.key]),
        value: secureJsonData[spec.key] ?? '',
        placeholder: spec.placeholder,
        onChange: setSecret(spec.key),
        onReset: resetSecret(spec.key),
      };
      return spec.multiline ? (
        <SecretTextArea cols={60} rows={6} {...props} />
      ) : (
        <SecretInput width={LABEL_WIDTH} {...props} />
      );
    }
    case 'switch':
      return (
        <InlineSwitch
          id={spec.id}
          value={Boolean(jsonData[spec.key])}
          onChange={(e) => setJsonData({ [spec.key]: e.currentTarget.checked })}
        />
      );
    case 'apiVersion':
      return (
        <Combobox<ApiVersion>
          id={spec.id}
          width={LABEL_WIDTH}
          options={API_VERSION_OPTIONS}
          value={jsonData.apiVersion ?? SETTINGS_DEFAULTS.apiVersion}
          onChange={(v) => setJsonData({ apiVersion: v.value })}
        />
      );
    case 'authMode':
      return (
        <RadioButtonGroup<AuthMode>
          options={AUTH_MODE_OPTIONS}
          value={jsonData.authMode ?? SETTINGS_DEFAULTS.authMode}
          onChange={(v) => setJsonData({ authMode: v })}
        />
      );
  }
}
