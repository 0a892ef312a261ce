import React, { useState } from 'react';
import path from 'node:path';
import { Box, Text } from 'ink';
import { useApp, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { TextField, applyEdit, type Edit } from '../components/TextInput.tsx';
import { isChar } from '../keys.ts';
import { completePath, readPrintFile, type PrintFile } from '../lib/files.ts';
import { fit } from '../lib/text.ts';

/**
 * Print (team): type a file's path (Tab completes), Enter checks it (text only, not too big) and
 * asks, y sends it. The answer says whether it went to the printer or waits for the organizers, and
 * how many of the team's pages are left.
 */
export function PrintScreen({ width, height }: ScreenProps) {
  const { api, cwd } = useApp();
  const [file, setFile] = useState<Edit>({ value: '', cursor: 0 });
  const [matches, setMatches] = useState<string[]>([]);
  const [ready, setReady] = useState<Extract<PrintFile, { ok: true }> | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);

  async function send(f: Extract<PrintFile, { ok: true }>) {
    setBusy(true);
    try {
      const r = await api.request<'print'>({ type: 'print', fileName: f.name, text: f.text });
      const where = r.state === 'printed' ? 'sent to the printer: the organizers bring it to you' : r.state === 'failed' ? 'the printer refused it: the organizers print it for you' : 'queued: the organizers print it and bring it to you';
      setMessage({ text: `Printout ${r.jobId} (${f.name}, ${r.pages} page${r.pages === 1 ? '' : 's'}) ${where}. ${r.pagesLeft} pages left.`, colour: 'green' });
      setFile({ value: '', cursor: 0 });
    } catch (err) {
      setMessage({ text: `Not printed: ${(err as Error).message}`, colour: 'red' });
    } finally {
      setBusy(false);
    }
  }

  useScreenKeys({
    capture: editing || ready !== null,
    help: [
      { keys: 'Enter / e', what: 'edit the path' },
      { keys: 'Tab (in path)', what: 'complete the path' },
      { keys: 'Enter (in path)', what: 'check the file and ask to print it' },
      { keys: 'y / n', what: 'print / cancel' },
      { keys: 'Esc (in path)', what: 'stop editing' },
    ],
    hints: '',
    handle: (k) => {
      if (busy) return true;
      if (ready) {
        if (isChar(k, 'y') || k.name === 'enter') void send(ready);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'enter' || k.name === 'escape') setReady(null);
        return true;
      }
      if (!editing) {
        if (k.name !== 'enter' && !isChar(k, 'e')) return false;
        setEditing(true);
        return true;
      }
      if (k.name === 'tab') {
        const c = completePath(file.value, cwd);
        setFile({ value: c.completed, cursor: c.completed.length });
        setMatches(c.matches.length > 1 ? c.matches : []);
        return true;
      }
      if (k.name === 'enter') {
        if (!file.value) return true;
        const f = readPrintFile(path.resolve(cwd, file.value.replace(/^~\//, `${process.env.HOME ?? ''}/`)));
        setMatches([]);
        setEditing(false);
        if (f.ok) (setReady(f), setMessage(null));
        else setMessage({ text: `Cannot print: ${f.problem}`, colour: 'red' });
        return true;
      }
      if (k.name === 'escape') {
        setEditing(false);
        setMatches([]);
        return true;
      }
      const e = applyEdit(file, k, 1000);
      if (e) (setFile(e), setMessage(null));
      return true;
    },
  });

  const listH = Math.max(0, height - 9);
  return (
    <ScreenFrame width={width} height={height} hints={ready ? 'y print  n cancel' : editing ? 'Tab complete  Enter check & print  Esc stop editing' : 'Enter edit the path'}>
      <Text bold>{fit(' Print a file (source code, notes: text only)', width)}</Text>
      <Text> </Text>
      <Box width={width} height={1}>
        <Text color="cyan">{' › File    '}</Text>
        <TextField edit={file} width={Math.max(10, width - 12)} focused={editing} placeholder="press Enter and type a path (Tab completes)" />
      </Box>
      <Text> </Text>
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      {busy && <Text color="cyan">{fit(' printing…', width)}</Text>}
      {ready && (
        <Box flexDirection="column" width={width} borderStyle="round" borderColor="yellow">
          <Text>{fit(` Print ${ready.name} (${ready.lines} lines)? Pages count against your team's budget.`, width - 2)}</Text>
          <Text bold>{fit(' y / Enter: print    n / Esc: cancel', width - 2)}</Text>
        </Box>
      )}
      {matches.slice(0, listH).map((m) => (
        <Text key={m} dimColor>{fit(`   ${m}`, width)}</Text>
      ))}
    </ScreenFrame>
  );
}
