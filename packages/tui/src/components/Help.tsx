import React from 'react';
import { Box, Text } from 'ink';
import { GLOBAL_KEYS, type KeyHelp } from '../keys.ts';
import { fit } from '../lib/text.ts';
import { HelpBar } from './Frame.tsx';

/** The `?` overlay: the global keys, then the active screen's, in two columns when one is too short. */
export function HelpOverlay({ width, height, title, screenHelp }: { width: number; height: number; title: string; screenHelp: readonly KeyHelp[] }) {
  const lines: { k: string; w: string; head?: boolean }[] = [
    { k: 'Everywhere', w: '', head: true },
    ...GLOBAL_KEYS.map((h) => ({ k: h.keys, w: h.what })),
    { k: '', w: '' },
    { k: title, w: '', head: true },
    ...screenHelp.map((h) => ({ k: h.keys, w: h.what })),
  ];
  const half = Math.floor(width / 2);
  const twoCols = lines.length > height - 1 && width >= 80;
  const colH = height - 1;
  const cols = twoCols ? [lines.slice(0, colH), lines.slice(colH, colH * 2)] : [lines.slice(0, colH)];
  const colW = twoCols ? half : width;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexDirection="row" width={width} height={height - 1}>
        {cols.map((col, ci) => (
          <Box key={ci} flexDirection="column" width={colW}>
            {col.map((l, i) => (
              <Text key={i} bold={l.head} color={l.head ? 'cyan' : undefined}>
                {fit(l.head ? ` ${l.k}` : `  ${fit(l.k, 16)} ${l.w}`, colW)}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
      <HelpBar hints="Esc close help" width={width} />
    </Box>
  );
}
