import React, { useEffect, useMemo, useState } from 'react';
import fs from 'node:fs';
import path from 'node:path';
import { Box, Text } from 'ink';
import type { Language } from '@judged/shared/protocol';
import { sourceSizeError } from '@judged/shared/protocol';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { TextField, applyEdit, type Edit } from '../components/TextInput.tsx';
import { isChar, moveIndex } from '../keys.ts';
import { checkSourceFile, completePath, guessLanguage, type FileCheck } from '../lib/files.ts';
import { addRecent, readRecent } from '../lib/recent.ts';
import { fit, truncate } from '../lib/text.ts';

const FIELDS = ['problem', 'file', 'language', 'submit'] as const;

export function SubmitScreen({ width, height }: ScreenProps) {
  const { api, store, params, go, cwd, recentFile } = useApp();
  const problems = useData((d) => d.problems);
  const languages = useData((d) => d.languages);
  const [field, setField] = useState(1);
  const [problemId, setProblemId] = useState(params.problemId ?? problems[0]?.id);
  const [file, setFile] = useState<Edit>({ value: '', cursor: 0 });
  const [editing, setEditing] = useState(false);
  const [langOverride, setLangOverride] = useState<string | null>(null);
  const [suggest, setSuggest] = useState<{ list: string[]; index: number }>({ list: [], index: -1 });
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const recent = useMemo(() => readRecent(recentFile), [recentFile]);

  useEffect(() => {
    if (languages.length > 0) return;
    api
      .request<'languages'>({ type: 'languages' })
      .then((r) => store.update({ languages: r.languages }))
      .catch((err: Error) => setMessage({ text: `Could not load languages: ${err.message}`, colour: 'red' }));
  }, [api, store, languages.length]);

  const abs = file.value ? path.resolve(cwd, file.value.replace(/^~\//, `${process.env.HOME ?? ''}/`)) : '';
  const guessed = abs ? guessLanguage(abs, languages) : null;
  const lang: Language | undefined = languages.find((l) => l.id === (langOverride ?? guessed?.id));
  const check: FileCheck | null = useMemo(() => (abs && !editing ? checkSourceFile(abs) : null), [abs, editing, confirm]);
  const problem = problems.find((p) => p.id === problemId);

  const cycle = <T,>(list: readonly T[], cur: T | undefined, d: number): T | undefined => {
    if (list.length === 0) return undefined;
    const i = cur === undefined ? -1 : list.indexOf(cur);
    return list[(i + d + list.length) % list.length];
  };

  async function send() {
    if (!problem || !lang || !check?.ok) return;
    setBusy(true);
    setConfirm(false);
    try {
      const source = fs.readFileSync(abs, 'utf8');
      const files = [{ name: path.basename(abs), source }];
      const tooBig = sourceSizeError(files);
      if (tooBig) throw new Error(tooBig);
      const r = await api.request<'submit'>({ type: 'submit', problemId: problem.id, language: lang.id, files });
      addRecent(recentFile, abs);
      // The submission event may arrive before or after this answer; the store dedups by id.
      const d = store.getSnapshot();
      if (!d.submissions.some((s) => s.id === r.submission.id)) store.update({ submissions: [r.submission, ...d.submissions] });
      go('submissions', { submissionId: r.submission.id });
    } catch (err) {
      setMessage({ text: `Not submitted: ${(err as Error).message}`, colour: 'red' });
    } finally {
      setBusy(false);
    }
  }

  function fileKey(k: Parameters<typeof applyEdit>[1]): boolean {
    if (k.name === 'tab') {
      const c = completePath(file.value, cwd);
      setFile({ value: c.completed, cursor: c.completed.length });
      setSuggest({ list: c.matches, index: -1 });
      return true;
    }
    if (k.name === 'up' || k.name === 'down') {
      const list = suggest.list.length > 0 ? suggest.list : recent;
      if (list.length === 0) return true;
      const i = moveIndex(k, suggest.index, list.length, 1) ?? 0;
      const v = list[i]!;
      setSuggest({ list, index: i });
      setFile({ value: v, cursor: v.length });
      return true;
    }
    if (k.name === 'enter' || k.name === 'escape') {
      setEditing(false);
      setSuggest({ list: [], index: -1 });
      if (k.name === 'enter') setField(file.value ? 3 : 1);
      return true;
    }
    const e = applyEdit(file, k, 1000);
    if (e) {
      setFile(e);
      setSuggest({ list: [], index: -1 });
      setLangOverride(null);
    }
    return true;
  }

  useScreenKeys({
    capture: editing || confirm,
    help: [
      { keys: '↑↓', what: 'move between fields' },
      { keys: '← →', what: 'change problem / language' },
      { keys: 'Enter', what: 'edit the file path / submit' },
      { keys: 'Tab (in path)', what: 'complete the path' },
      { keys: '↑↓ (in path)', what: 'pick a completion or recent file' },
    ],
    hints: '',
    handle: (k) => {
      if (busy) return true;
      if (confirm) {
        if (isChar(k, 'y') || k.name === 'enter') void send();
        else if (isChar(k, 'n') || k.name === 'escape') setConfirm(false);
        return true;
      }
      if (editing) return fileKey(k);
      const m = moveIndex(k, field, FIELDS.length, 1);
      if (m !== null && (k.name === 'up' || k.name === 'down' || isChar(k, 'j') || isChar(k, 'k'))) {
        setField(m);
        return true;
      }
      const name = FIELDS[field];
      if (k.name === 'left' || k.name === 'right' || isChar(k, 'h') || isChar(k, 'l')) {
        const d = k.name === 'left' || isChar(k, 'h') ? -1 : 1;
        if (name === 'problem') setProblemId(cycle(problems.map((p) => p.id), problemId, d));
        else if (name === 'language') setLangOverride(cycle(languages.map((l) => l.id), lang?.id, d) ?? null);
        return true;
      }
      if (k.name === 'enter') {
        if (name === 'file') setEditing(true);
        else if (name === 'submit' || name === 'language' || name === 'problem') {
          setMessage(null);
          if (!problem) setMessage({ text: 'Choose a problem first.', colour: 'red' });
          else if (!file.value) {
            setField(1);
            setEditing(true);
          } else if (!lang) setMessage({ text: 'Choose a language (← → on the Language field).', colour: 'red' });
          else if (check && !check.ok) setMessage({ text: check.problems.join('; '), colour: 'red' });
          else setConfirm(true);
        }
        return true;
      }
      if (isChar(k, 'e') || isChar(k, 'f')) {
        setField(1);
        setEditing(true);
        return true;
      }
      return false;
    },
  });

  const labelW = 11;
  const valW = width - labelW - 3;
  const row = (i: number, label: string, value: React.ReactNode) => (
    <Box key={label} width={width} height={1}>
      <Text color={field === i ? 'cyan' : undefined} bold={field === i}>{fit(`${field === i ? '›' : ' '} ${label}`, labelW)}</Text>
      <Text> </Text>
      <Box width={valW + 2} height={1} overflow="hidden">{value}</Box>
    </Box>
  );
  const sugg = editing ? (suggest.list.length > 0 ? suggest.list : recent) : [];
  const suggH = Math.max(0, height - 12);
  const hints = confirm ? 'y submit  n cancel' : editing ? 'Tab complete  ↑↓ pick  Enter done  Esc stop editing' : '↑↓ field  ←→ change  Enter edit/submit';
  return (
    <ScreenFrame width={width} height={height} hints={hints}>
      <Text bold>{fit(' Submit a solution', width)}</Text>
      <Text> </Text>
      {row(0, 'Problem', <Text>{problem ? `‹ ${problem.label}. ${truncate(problem.name, valW - 8)} ›` : 'no problems'}</Text>)}
      {row(1, 'File', <TextField edit={file} width={valW} focused={editing} placeholder="press Enter and type a path (Tab completes)" />)}
      {row(
        2,
        'Language',
        <Text>
          {lang ? `‹ ${lang.name} ›` : languages.length ? '‹ choose ›' : 'loading…'}
          <Text dimColor>{lang && !langOverride && guessed ? '  (from the extension)' : langOverride ? '  (chosen)' : ''}</Text>
        </Text>,
      )}
      {row(3, '', <Text inverse={field === 3} bold>{busy ? ' submitting… ' : ' [ Submit ] '}</Text>)}
      <Text> </Text>
      {check && check.problems.map((p, i) => (
        <Text key={i} color={check.ok ? 'yellow' : 'red'}>{fit(` ${check.ok ? 'warning' : 'cannot submit'}: ${p}`, width)}</Text>
      ))}
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      {confirm && problem && lang && (
        <Box flexDirection="column" width={width} borderStyle="round" borderColor="yellow">
          <Text>{fit(` Submit ${path.basename(abs)} (${lang.name}, ${check?.size ?? 0} bytes) for ${problem.label}. ${problem.name}?`, width - 2)}</Text>
          <Text bold>{fit(' y / Enter: submit    n / Esc: cancel', width - 2)}</Text>
        </Box>
      )}
      {sugg.length > 0 && suggH > 0 && (
        <Box flexDirection="column" width={width}>
          <Text dimColor>{fit(suggest.list.length > 0 ? ' completions:' : ' recent files:', width)}</Text>
          {sugg.slice(Math.max(0, suggest.index - suggH + 2), Math.max(0, suggest.index - suggH + 2) + suggH - 1).map((s) => (
            <Text key={s} inverse={s === sugg[suggest.index]}>{fit(`   ${s}`, width)}</Text>
          ))}
        </Box>
      )}
    </ScreenFrame>
  );
}
