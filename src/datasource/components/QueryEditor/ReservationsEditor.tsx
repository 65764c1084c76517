import React from 'react';
import type { ReservationsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { NameRegexField } from './NameRegexField';

/** `reservations`: one row per reservation, optionally only those whose name matches. */
export function ReservationsEditor({ query, onChange, onEdit }: TypedEditorProps<ReservationsQuery>) {
  return (
    <NameRegexField
      id={`slurm-reservations-name-regex-${query.refId}`}
      what="reservation"
      value={query.nameRegex}
      onEdit={(nameRegex) => onEdit({ ...query, nameRegex })}
      onDone={() => onChange(query)}
    />
  );
}
