import React from 'react';
import type { SchedulerQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { NoOptionsNote } from './NoOptionsNote';

/** `scheduler`: slurmctld's diag figures; no options. */
export function SchedulerEditor(_: TypedEditorProps<SchedulerQuery>) {
  return (
    <NoOptionsNote>
      One row of numbers from slurmctld diagnostics: cycle times, backfill, RPC and agent queue figures.
    </NoOptionsNote>
  );
}
