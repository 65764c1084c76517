import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps, SelectableValue } from '@grafana/data';
import { DataSourcePicker, getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, IconButton, Input, RadioButtonGroup, Stack } from '@grafana/ui';
import { DATASOURCE_PLUGIN_ID } from '../../constants';
import { DEFAULT_NODE_MAPPING, type AppSettings, type NodeMapping } from '../../settings';
import { validateAppSettings } from './validateAppSettings';
import { ExporterStatus } from './ExporterStatus';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

const NODE_MAPPING_MODES: Array<SelectableValue<NodeMapping['mode']>> = [
  { label: 'node_uname_info', value: 'uname', description: 'Join on node_uname_info{nodename} (node_exporter)' },
  { label: 'Label', value: 'label', description: 'A Prometheus label holds the Slurm node name' },
  { label: 'Regex', value: 'regex', description: 'instance matches a pattern with $node in it' },
];

export default function AppConfig({ plugin }: AppConfigProps) {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [settings, setSettings] = useState<AppSettings>({
    slurmDatasourceUids: jsonData?.slurmDatasourceUids?.length ? [...jsonData.slurmDatasourceUids] : [''],
    prometheusDatasourceUid: jsonData?.prometheusDatasourceUid ?? '',
    alertmanagerDatasourceUid: jsonData?.alertmanagerDatasourceUid ?? '',
    nodeMapping: jsonData?.nodeMapping ?? DEFAULT_NODE_MAPPING,
  });
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const errors = validateAppSettings(settings);
  const invalid = Object.keys(errors).length > 0;
  const uids = settings.slurmDatasourceUids ?? [''];
  const mapping = settings.nodeMapping ?? DEFAULT_NODE_MAPPING;

  const setUid = (index: number, uid: string) =>
    setSettings({ ...settings, slurmDatasourceUids: uids.map((u, i) => (i === index ? uid : u)) });
  const removeUid = (index: number) =>
    setSettings({ ...settings, slurmDatasourceUids: uids.filter((_, i) => i !== index) });
  const setMapping = (patch: Partial<NodeMapping>) =>
    setSettings({ ...settings, nodeMapping: { ...mapping, ...patch } });

  const onSubmit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (invalid) {
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${plugin.meta.id}/settings`,
          method: 'POST',
          data: {
            enabled,
            pinned,
            jsonData: { ...settings, slurmDatasourceUids: uids.filter((u) => u !== '') },
          },
        })
      );
      // Grafana keeps plugin meta in memory; a reload is the supported way to apply new settings.
      locationService.reload();
    } catch (e) {
      setSaveError(e instanceof Error ? e.message : 'Saving the app settings failed');
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit}>
      <FieldSet label="Slurm clusters">
        <Field
          label="Slurm data sources"
          description="One per cluster; the first one is the default"
          invalid={Boolean(errors.slurm)}
          error={errors.slurm}
        >
          <Stack direction="column" gap={1}>
            {uids.map((uid, index) => (
              <Stack key={index} direction="row" alignItems="center">
                <DataSourcePicker
                  inputId={`slurm-datasource-${index}`}
                  pluginId={DATASOURCE_PLUGIN_ID}
                  current={uid || null}
                  noDefault
                  width={40}
                  onChange={(ds) => setUid(index, ds.uid)}
                />
                {uids.length > 1 && (
                  <IconButton name="trash-alt" tooltip="Remove this cluster" onClick={() => removeUid(index)} />
                )}
              </Stack>
            ))}
            <div>
              <Button
                variant="secondary"
                icon="plus"
                size="sm"
                type="button"
                onClick={() => setSettings({ ...settings, slurmDatasourceUids: [...uids, ''] })}
              >
                Add cluster
              </Button>
            </div>
          </Stack>
        </Field>
      </FieldSet>

      <FieldSet label="Hardware metrics">
        <Field label="Prometheus data source" invalid={Boolean(errors.prometheus)} error={errors.prometheus}>
          <DataSourcePicker
            inputId="prometheus-datasource"
            type="prometheus"
            current={settings.prometheusDatasourceUid || null}
            noDefault
            width={40}
            onChange={(ds) => setSettings({ ...settings, prometheusDatasourceUid: ds.uid })}
          />
        </Field>
        <Field label="Exporters found" description="Series the pages use, looked up in the chosen Prometheus">
          <ExporterStatus prometheusUid={settings.prometheusDatasourceUid || undefined} />
        </Field>
        <Field label="Alertmanager data source" description="Optional: where hardware alerts are routed">
          <DataSourcePicker
            inputId="alertmanager-datasource"
            type="alertmanager"
            current={settings.alertmanagerDatasourceUid || null}
            noDefault
            width={40}
            onChange={(ds) => setSettings({ ...settings, alertmanagerDatasourceUid: ds.uid })}
          />
        </Field>
        <Field
          label="Node mapping"
          description="How a Slurm node name finds its Prometheus series"
          invalid={Boolean(errors.nodeMapping)}
          error={errors.nodeMapping}
        >
          <Stack direction="column" gap={1}>
            <RadioButtonGroup<NodeMapping['mode']>
              options={NODE_MAPPING_MODES}
              value={mapping.mode}
              onChange={(mode) => setMapping({ mode })}
            />
            {mapping.mode === 'label' && (
              <Input
                aria-label="Node label"
                width={40}
                placeholder="nodename"
                value={mapping.label ?? ''}
                onChange={(e) => setMapping({ label: e.currentTarget.value.trim() })}
              />
            )}
            {mapping.mode === 'regex' && (
              <Input
                aria-label="Instance pattern"
                width={40}
                placeholder="$node:9100"
                value={mapping.regex ?? ''}
                onChange={(e) => setMapping({ regex: e.currentTarget.value.trim() })}
              />
            )}
          </Stack>
        </Field>
      </FieldSet>

      {saveError && (
        <Alert severity="error" title="Could not save the app settings">
          {saveError}
        </Alert>
      )}
      <Button type="submit" disabled={invalid || saving}>
        Save settings
      </Button>
    </form>
  );
}
