import React from 'react';
import { Box, Text } from 'ink';
import { useData } from '../context.ts';
import { fit } from '../lib/text.ts';
import { Header } from './Header.tsx';
import { useTick } from './hooks.ts';

/** The top line: contest name, phase, countdown, connection, who is logged in; ticks every second. */
export function HeaderLine({ width }: { width: number }) {
  useTick(1000);
  const clock = useData((d) => d.clock);
  const conn = useData((d) => d.conn);
  const user = useData((d) => d.user);
  const offset = useData((d) => d.offsetMs);
  const who = user ? (user.role === 'team' ? user.displayName || user.username : `${user.username} (${user.role})`) : '';
  return <Header width={width} clock={clock} nowMs={Date.now() + offset} conn={conn} user={who} />;
}

/** The line under the tabs: the newest notice for 20 s, or why the connection cannot recover. */
export function NoticeLine({ width }: { width: number }) {
  useTick(1000);
  const notices = useData((d) => d.notices);
  const conn = useData((d) => d.conn);
  const latest = notices[notices.length - 1];
  if (conn.status === 'failed') {
    // Retrying cannot help (session revoked, account disabled): say so and what to do.
    return (
      <Box width={width} height={1}>
        <Text color="white" backgroundColor="red">{fit(` ✕ ${conn.message} — quit (q) and run judge again to log in`, width)}</Text>
      </Box>
    );
  }
  // Notices stay 20 s; the unread badge on Clarifications stays until read.
  if (!latest || Date.now() - latest.atMs > 20_000) return <Box width={width} height={1} />;
  return (
    <Box width={width} height={1}>
      <Text color="black" backgroundColor="yellow">{fit(` ! ${latest.text}`, width)}</Text>
    </Box>
  );
}
