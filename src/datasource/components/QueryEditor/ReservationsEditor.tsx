import React from 'react';
import type { ReservationsQuery } from '../../types';
import type { TypedEditorProps } from './editorProps';
import { NoOptionsNote } from './NoOptionsNote';

/** `reservations`: every reservation in the snapshot; no options. */
export function ReservationsEditor(_: TypedEditorProps<ReservationsQuery>) {
  return <NoOptionsNote>One row per reservation: name, start and end, nodes, users, accounts, flags.</NoOptionsNote>;
}
