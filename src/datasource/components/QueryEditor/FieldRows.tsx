import React from 'react';
import { InlineField, InlineFieldRow, InlineSwitch, RadioButtonGroup } from '@grafana/ui';
import type { DataSource } from '../../datasource';
import type { JobsQuery, SlurmTypedQuery, StringList } from '../../types';
import type { FieldRows as Rows, FieldSpec } from './editorFields';
import { FilterField } from './FilterField';
import { GroupByField } from './GroupByField';
import { JobIdsField } from './JobIdsField';
import { LimitField } from './LimitField';
import { NameRegexField } from './NameRegexField';
import { NoOptionsNote } from './NoOptionsNote';
import { SortField } from './SortField';

interface Props<Q extends SlurmTypedQuery> {
  rows: Rows<Q>;
  datasource: DataSource;
  query: Q;
  /** Changes the query and runs it when the result is valid. */
  onChange: (query: Q) => void;
  /** Changes the query without running it (while typing). */
  onEdit: (query: Q) => void;
}

/**
 * A query editor drawn from its table of fields (editorFields.ts). Choices run the query at once; typed
 * text (a name regex, a limit) runs when the field loses focus.
 */
export function FieldRows<Q extends SlurmTypedQuery>({ rows, ...props }: Props<Q>) {
  return (
    <>
      {rows.map((row, i) =>
        row.length === 1 && row[0].type === 'note' ? (
          <NoOptionsNote key={i}>{row[0].text}</NoOptionsNote>
        ) : (
          <InlineFieldRow key={i}>
            {row.map((spec, j) => (
              <Field key={j} spec={spec} {...props} />
            ))}
          </InlineFieldRow>
        )
      )}
    </>
  );
}

/** The fields an editor reads and writes by name, whichever type it edits. */
type Fields = Record<string, unknown> & {
  jobIds?: StringList;
  nameRegex?: string;
  limit?: number;
  groupBy?: string[];
  sort?: JobsQuery['sort'];
};

function Field<Q extends SlurmTypedQuery>({
  spec,
  datasource,
  query,
  onChange,
  onEdit,
}: Omit<Props<Q>, 'rows'> & { spec: FieldSpec<Q> }) {
  const fields = query as unknown as Fields;
  const set = (patch: Fields) => ({ ...query, ...patch }) as Q;
  const id = (part: string) => `slurm-${query.queryType}-${part}-${query.refId}`;
  switch (spec.type) {
    case 'list':
      return (
        <FilterField
          id={id(spec.key)}
          datasource={datasource}
          label={spec.label}
          kind={spec.kind}
          params={spec.of ? { of: spec.of } : undefined}
          values={fields[spec.key] as StringList | undefined}
          onChange={(values) => onChange(set({ [spec.key]: values }))}
          tooltip={spec.tooltip}
        />
      );
    case 'jobIds':
      return <JobIdsField jobIds={fields.jobIds} onChange={(jobIds) => onChange(set({ jobIds }))} />;
    case 'nameRegex':
      return (
        <NameRegexField
          id={id('name-regex')}
          what={spec.what}
          value={fields.nameRegex}
          onEdit={(nameRegex) => onEdit(set({ nameRegex }))}
          onDone={() => onChange(query)}
        />
      );
    case 'limit':
      return (
        <LimitField
          id={id('limit')}
          limit={fields.limit}
          maxRows={datasource.maxRows}
          onChange={(limit) => onEdit(set({ limit }))}
          onBlur={() => onChange(query)}
        />
      );
    case 'groupBy':
      return (
        <GroupByField
          id={id('group-by')}
          keys={spec.keys}
          groupBy={fields.groupBy}
          onChange={(groupBy) => onChange(set({ groupBy }))}
        />
      );
    case 'sort':
      return <SortField id={id('sort')} sort={fields.sort} onChange={(sort) => onChange(set({ sort }))} />;
    case 'choice':
      return (
        <InlineField label={spec.label} labelWidth={spec.labelWidth}>
          <RadioButtonGroup<string>
            options={spec.options}
            value={(fields[spec.key] as string | undefined) ?? spec.fallback}
            onChange={(value) => onChange(set({ [spec.key]: value }))}
          />
        </InlineField>
      );
    case 'toggle':
      return (
        <InlineField label={spec.label} tooltip={spec.tooltip} htmlFor={id(spec.id)}>
          <InlineSwitch
            id={id(spec.id)}
            value={spec.isOn(query)}
            onChange={(e) => onChange(set(spec.patch(e.currentTarget.checked)))}
          />
        </InlineField>
      );
    case 'note':
      return <NoOptionsNote>{spec.text}</NoOptionsNote>;
  }
}
