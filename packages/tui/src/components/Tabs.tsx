import React from 'react';
import { Box, Text } from 'ink';
import { useData } from '../context.ts';
import { cellWidth, truncate } from '../lib/text.ts';

export interface TabDef {
  id: string;
  title: string;
  short: string;
}

/** The row of numbered tabs, the active one inverse, with the unread badge on Clarifications. */
export function Tabs({ screens, active, width }: { screens: readonly TabDef[]; active: number; width: number }) {
  const unread = useData((d) => d.unread.length);
  const parts = tabLabels(screens, active, unread, width);
  return (
    <Box width={width} height={1}>
      {parts.map((p, i) => (
        <Text key={i} inverse={p.active} bold={p.active} color={p.badge ? 'yellow' : undefined}>
          {p.text}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The tab texts for a width. Full titles when they fit; else the longest inactive titles give way to
 * their short labels one at a time (the active tab stays in full), then the active one too, then the
 * padding goes. A name is never cut mid-word and the number and unread badge always stay.
 */
export function tabLabels(screens: readonly TabDef[], active: number, unread: number, width: number) {
  const parts = screens.map((s, i) => ({
    label: s.title,
    short: s.short,
    // The tenth tab is reached with 0 (the key after 9 on the number row).
    n: `${(i + 1) % 10}`,
    badge: s.id === 'clarifications' && unread > 0 ? `(${unread})` : '',
    active: i === active,
  }));
  let pad = ' ';
  const text = (p: (typeof parts)[number]) => `${pad}${p.n} ${p.label}${p.badge}${pad}`;
  const total = () => parts.reduce((n, p) => n + cellWidth(text(p)), 0) + (pad ? 0 : parts.length - 1);
  const shorten = (activeToo: boolean) => {
    while (total() > width) {
      const longest = parts
        .filter((p) => (activeToo || !p.active) && p.label !== p.short)
        .sort((a, b) => b.label.length - b.short.length - (a.label.length - a.short.length))[0];
      if (!longest) return;
      longest.label = longest.short;
    }
  };
  shorten(false);
  shorten(true);
  if (total() > width) pad = '';
  // Without padding the tabs are kept apart by one space (which the active tab's inverse does not cover).
  const out = parts.map((p, i) => ({ text: (pad || i === 0 ? '' : ' ') + text(p), badge: p.badge, active: p.active }));
  let used = 0;
  return out.flatMap((p) => {
    const room = width - used;
    if (room <= 0) return [];
    const t = truncate(p.text, room, '');
    used += cellWidth(t);
    return [{ ...p, text: t }];
  });
}
