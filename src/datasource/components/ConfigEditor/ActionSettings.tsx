import React, { ChangeEvent } from 'react';
import type { SelectableValue } from '@grafana/data';
import {
  Button,
  Field,
  FieldSet,
  IconButton,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
  TagsInput,
} from '@grafana/ui';
import type { ActionIdentity, ActionMinRole, ActionUserMapping, AuthMode, SlurmDataSourceOptions } from '../../types';

/** Defaults and bounds of the action settings, as the backend applies them (pkg/actions). */
export const ACTION_DEFAULTS = {
  identity: 'datasource' as ActionIdentity,
  mapping: 'login' as ActionUserMapping,
  minRoleJobs: 'Editor' as ActionMinRole,
  minRoleNodes: 'Admin' as ActionMinRole,
  clusterSlurmUser: 'slurm',
  maxHostlistExpansion: 128,
  maxHostlistExpansionMax: 4096,
};

const IDENTITY_OPTIONS: Array<SelectableValue<ActionIdentity>> = [
  { label: "The data source's Slurm user", value: 'datasource' },
  { label: "The Grafana user's own Slurm user", value: 'grafanaUser' },
];

const MAPPING_OPTIONS: Array<SelectableValue<ActionUserMapping>> = [
  { label: 'Grafana login', value: 'login' },
  { label: 'E-mail local part', value: 'emailLocalPart' },
  { label: 'Mapping table only', value: 'table' },
];

const ROLE_OPTIONS: Array<SelectableValue<ActionMinRole>> = [
  { label: 'Editor', value: 'Editor' },
  { label: 'Admin', value: 'Admin' },
];

export interface ActionSettingsErrors {
  actionIdentity?: string;
  actionUserMap?: string;
  maxHostlistExpansion?: string;
}

/** The same checks the backend makes when it reads the settings, so Save & test does not fail on them. */
export function validateActionSettings(jsonData: SlurmDataSourceOptions): ActionSettingsErrors {
  const errors: ActionSettingsErrors = {};
  const authMode: AuthMode = jsonData.authMode ?? 'token';
  if (jsonData.actionIdentity === 'grafanaUser' && authMode !== 'jwtKey') {
    errors.actionIdentity =
      "Acting as the Grafana user's Slurm user needs the JWT key auth mode: only the key can mint a token for that user";
  }
  const entries = Object.entries(jsonData.actionUserMap ?? {});
  if (entries.some(([grafana, slurm]) => grafana.trim() === '' || slurm.trim() === '' || /[\s:]/.test(slurm.trim()))) {
    errors.actionUserMap = 'Each mapping needs a Grafana login (or e-mail) and a Slurm user name without spaces';
  }
  const max = jsonData.maxHostlistExpansion;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > ACTION_DEFAULTS.maxHostlistExpansionMax)) {
    errors.maxHostlistExpansion = `Must be a whole number from 1 to ${ACTION_DEFAULTS.maxHostlistExpansionMax}`;
  }
  return errors;
}

interface Props {
  jsonData: SlurmDataSourceOptions;
  setJsonData: (patch: Partial<SlurmDataSourceOptions>) => void;
  labelWidth: number;
}

/** Who may act on the cluster from Grafana, and as which Slurm identity (README: Operator actions). */
export function ActionSettings({ jsonData, setJsonData, labelWidth }: Props) {
  const errors = validateActionSettings(jsonData);
  const identity = jsonData.actionIdentity ?? ACTION_DEFAULTS.identity;
  const entries = Object.entries(jsonData.actionUserMap ?? {});

  const setEntries = (next: Array<[string, string]>) => setJsonData({ actionUserMap: Object.fromEntries(next) });
  const setEntry = (index: number, column: 0 | 1) => (event: ChangeEvent<HTMLInputElement>) =>
    setEntries(
      entries.map((e, i) =>
        i === index ? (column === 0 ? [event.target.value, e[1]] : [e[0], event.target.value]) : e
      )
    );

  return (
    <FieldSet label="Operator actions">
      <Field
        label="Act as"
        description="Whose Slurm identity cancels, holds, releases, requeues, drains and resumes. With the Grafana user's own Slurm user, the backend mints a 5-minute token for them and Slurm itself decides (alice may cancel her jobs, not bob's)."
        invalid={Boolean(errors.actionIdentity)}
        error={errors.actionIdentity}
      >
        <RadioButtonGroup<ActionIdentity>
          options={IDENTITY_OPTIONS}
          value={identity}
          onChange={(v) => setJsonData({ actionIdentity: v })}
        />
      </Field>
      {identity === 'grafanaUser' && (
        <>
          <Field label="Slurm user of a Grafana user" description="Used when the mapping table has no entry for them">
            <RadioButtonGroup<ActionUserMapping>
              options={MAPPING_OPTIONS}
              value={jsonData.actionUserMapping ?? ACTION_DEFAULTS.mapping}
              onChange={(v) => setJsonData({ actionUserMapping: v })}
            />
          </Field>
          <Field
            label="Mapping table"
            description="Grafana login or e-mail → Slurm user; an entry wins over the rule above"
            invalid={Boolean(errors.actionUserMap)}
            error={errors.actionUserMap}
          >
            {/* A fragment: Field passes `invalid` to its child, which a Stack would put on the DOM. */}
            <>
              <Stack direction="column" gap={1}>
                {entries.map(([grafana, slurm], i) => (
                  <Stack key={i} direction="row" gap={1} alignItems="center">
                    <Input
                      aria-label={`Grafana login ${i + 1}`}
                      width={30}
                      value={grafana}
                      placeholder="Grafana login or e-mail"
                      onChange={setEntry(i, 0)}
                    />
                    <Input
                      aria-label={`Slurm user ${i + 1}`}
                      width={24}
                      value={slurm}
                      placeholder="Slurm user"
                      onChange={setEntry(i, 1)}
                    />
                    <IconButton
                      name="trash-alt"
                      tooltip="Remove this mapping"
                      onClick={() => setEntries(entries.filter((_, j) => j !== i))}
                    />
                  </Stack>
                ))}
                <div>
                  <Button
                    variant="secondary"
                    size="sm"
                    icon="plus"
                    onClick={() => setEntries([...entries.filter(([g]) => g !== ''), ['', '']])}
                  >
                    Add mapping
                  </Button>
                </div>
              </Stack>
            </>
          </Field>
          <Field
            label="Never act as"
            description="Slurm users for whom no token is minted, whatever the mapping says; root and the SlurmUser below never are"
          >
            <TagsInput
              id="slurm-action-deny-users"
              width={labelWidth}
              tags={jsonData.actionDenyUsers ?? []}
              placeholder="Slurm user, then Enter"
              onChange={(tags) => setJsonData({ actionDenyUsers: tags })}
            />
          </Field>
          <Field
            label="Never act as Slurm operators and administrators"
            description="Users whose slurmdbd admin level is Operator or Administrator (sacctmgr show user); their tokens bypass Slurm's own checks"
            htmlFor="slurm-action-deny-admins"
          >
            <InlineSwitch
              id="slurm-action-deny-admins"
              value={jsonData.actionDenySlurmAdmins ?? true}
              onChange={(e) => setJsonData({ actionDenySlurmAdmins: e.currentTarget.checked })}
            />
          </Field>
          <Field label="SlurmUser" description="The account slurmctld runs as (SlurmUser in slurm.conf)">
            <Input
              id="slurm-cluster-slurm-user"
              width={30}
              value={jsonData.clusterSlurmUser ?? ''}
              placeholder={ACTION_DEFAULTS.clusterSlurmUser}
              onChange={(e: ChangeEvent<HTMLInputElement>) => setJsonData({ clusterSlurmUser: e.target.value.trim() })}
            />
          </Field>
        </>
      )}
      <Field label="Job actions need" description="Cancel, hold, release and requeue; Viewers never act">
        <RadioButtonGroup<ActionMinRole>
          options={ROLE_OPTIONS}
          value={jsonData.actionMinRoleJobs ?? ACTION_DEFAULTS.minRoleJobs}
          onChange={(v) => setJsonData({ actionMinRoleJobs: v })}
        />
      </Field>
      <Field label="Node actions need" description="Drain and resume">
        <RadioButtonGroup<ActionMinRole>
          options={ROLE_OPTIONS}
          value={jsonData.actionMinRoleNodes ?? ACTION_DEFAULTS.minRoleNodes}
          onChange={(v) => setJsonData({ actionMinRoleNodes: v })}
        />
      </Field>
      <Field
        label="Most nodes or jobs per action"
        description={`How far a node list (node[01-64]) may expand and how many jobs one bulk action takes; default ${ACTION_DEFAULTS.maxHostlistExpansion}`}
        invalid={Boolean(errors.maxHostlistExpansion)}
        error={errors.maxHostlistExpansion}
      >
        <Input
          id="slurm-max-hostlist"
          type="number"
          width={20}
          placeholder={String(ACTION_DEFAULTS.maxHostlistExpansion)}
          value={jsonData.maxHostlistExpansion === undefined ? '' : String(jsonData.maxHostlistExpansion)}
          onChange={(e: ChangeEvent<HTMLInputElement>) => {
            const raw = e.target.value.trim();
            setJsonData({ maxHostlistExpansion: raw === '' ? undefined : Number(raw) });
          }}
        />
      </Field>
    </FieldSet>
  );
}
