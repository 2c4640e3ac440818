/** The save-a-snapshot dialogue in two lines: the name, or the overwrite question. */
import React from 'react';
import { Box, Text } from 'ink';
import type { SaveFlow } from '../hooks/useSaveSnapshot.js';
import { NamePrompt } from './NamePrompt.js';
import { Confirm } from './Confirm.js';

/**
 * Lines the dialogue takes: two, or three while an error too long for one line is shown (a failed save
 * says where the model was kept instead, and that must be read in full). The panes make room for it.
 */
export function savePromptLines(flow: SaveFlow, width: number): number {
  return flow.phase === 'naming' && flow.error && flow.error.length > width ? 3 : 2;
}

export function SavePrompt({ flow, width, active }: { flow: SaveFlow; width: number; active: boolean }) {
  if (flow.phase === 'closed') return null;
  if (flow.phase === 'saving') return <Text>saving "{flow.name}"…</Text>;
  if (flow.phase === 'confirm') {
    return (
      <Box flexDirection="column">
        <Confirm question={`A snapshot named "${flow.name}" exists. Overwrite it?`} onAnswer={flow.confirmOverwrite} active={active} />
        <Text> </Text>
      </Box>
    );
  }
  return <NamePrompt key={flow.name} label="save snapshot as:" initial={flow.name} width={width} active={active} error={flow.error} onSubmit={flow.submit} onCancel={flow.cancel} />;
}
