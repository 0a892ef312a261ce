import fs from 'node:fs';
import path from 'node:path';
import React, { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import type { TeamInfo } from '@judged/shared/protocol';
import { randomPassword } from '@judged/shared/password';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { Confirm, paint } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { TextField, applyEdit, type Edit } from '../components/TextInput.tsx';
import { FormFields, formKey } from '../components/FormFields.tsx';
import { isChar } from '../keys.ts';
import { fit } from '../lib/text.ts';
import { RequestError } from '../client.ts';

/** The add-a-team form's fields, in Tab order, named as the addTeam request names them. */
const FIELDS = [
  { key: 'teamId', label: 'Team id' },
  { key: 'name', label: 'Name' },
  { key: 'organization', label: 'Organization' },
  { key: 'username', label: 'Login' },
  { key: 'password', label: 'Password' },
] as const;
type FieldKey = (typeof FIELDS)[number]['key'];
const FIELD_KEYS = FIELDS.map((f) => f.key);


const edit = (v: string): Edit => ({ value: v, cursor: v.length });

type Team = TeamInfo & { logins?: string[] };
type Ask = { kind: 'enable'; team: Team } | { kind: 'password'; team: Team; login: string; password: string };

/**
 * Teams (admin): every team with its state; `a` adds a team with its login (the password is made up
 * and shown once), `i` imports teams and logins from files, `d` disables or enables the selected
 * team, `p` gives its login a new password, shown once. Each change asks first; what the server refuses is shown beside
 * the field it names.
 */
export function TeamsScreen({ width, height }: ScreenProps) {
  const { api, cwd } = useApp();
  const user = useData((d) => d.user);
  const admin = user?.role === 'admin';
  const [teams, setTeams] = useState<Team[]>([]);
  const nav = useListNav(teams, (t) => `${t.id} ${t.name} ${t.organization ?? ''} ${t.enabled ? 'enabled' : 'disabled'}`);
  const [form, setForm] = useState<{ values: Record<FieldKey, Edit>; focus: number; error: { field: string | null; text: string } | null } | null>(null);
  const [ask, setAsk] = useState<Ask | null>(null);
  /** The import form: file paths, and what the server (or reading the files) refused, line by line. */
  const [importing, setImporting] = useState<{ paths: Edit; errors: string[] } | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const win = useListWindow(nav, height, message ? 1 : 0);

  const reload = () =>
    api
      .request<'teams'>({ type: 'teams' })
      .then((r) => setTeams(r.teams))
      .catch((err: Error) => setMessage({ text: `Could not load teams: ${err.message}`, colour: 'red' }));
  useEffect(() => {
    void reload();
  }, [api]);

  async function add() {
    if (!form) return;
    const v = (k: FieldKey) => form.values[k].value.trim();
    try {
      const r = await api.request<'addTeam'>({ type: 'addTeam', teamId: v('teamId'), name: v('name'), organization: v('organization') || null, username: v('username'), password: form.values.password.value });
      setForm(null);
      setMessage({ text: `Added ${r.team.name} (${r.team.id}). Login ${v('username')}, password ${form.values.password.value} — shown once, note it now.`, colour: 'green' });
      void reload();
    } catch (err) {
      const field = err instanceof RequestError && err.field ? err.field : null;
      const at = FIELDS.findIndex((x) => x.key === field);
      setForm({ ...form, focus: at >= 0 ? at : form.focus, error: { field, text: (err as Error).message } });
    }
  }

  async function runImport(paths: string) {
    const names = paths.split(/\s+/).filter(Boolean);
    const files: { name: string; text: string }[] = [];
    const unreadable: string[] = [];
    for (const n of names) {
      try {
        files.push({ name: path.basename(n), text: fs.readFileSync(path.resolve(cwd, n), 'utf8') });
      } catch (err) {
        unreadable.push(`${n}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
    }
    if (names.length === 0) unreadable.push('name the files to import, e.g. teams.tsv accounts.tsv');
    if (unreadable.length > 0) return setImporting((f) => f && { ...f, errors: unreadable });
    try {
      const r = await api.request<'importTeams'>({ type: 'importTeams', files });
      if (r.errors.length > 0) {
        return setImporting((f) => f && { ...f, errors: r.errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}${e.field ? ` ${e.field}` : ''}: ${e.message} (${e.hint})`) });
      }
      setImporting(null);
      setMessage({ text: `Imported ${r.teams.length} team${r.teams.length === 1 ? '' : 's'} and ${r.accounts} login${r.accounts === 1 ? '' : 's'}${r.teams.length ? `: ${r.teams.map((t) => t.name).join(', ')}` : ''}.`, colour: 'green' });
      void reload();
    } catch (err) {
      setImporting((f) => f && { ...f, errors: [(err as Error).message] });
    }
  }

  async function decide(a: Ask) {
    try {
      if (a.kind === 'enable') {
        const r = await api.request<'setTeamEnabled'>({ type: 'setTeamEnabled', teamId: a.team.id, enabled: !a.team.enabled });
        setMessage({ text: `${r.team.name} is ${r.team.enabled ? 'enabled' : 'disabled'}.`, colour: 'green' });
        void reload();
      } else {
        await api.request<'setAccount'>({ type: 'setAccount', username: a.login, password: a.password });
        setMessage({ text: `New password for login ${a.login}: ${a.password} — shown once; its sessions were ended.`, colour: 'green' });
      }
    } catch (err) {
      setMessage({ text: `Not done: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: nav.capture || form !== null || ask !== null || importing !== null,
    help: [
      { keys: 'a', what: 'add a team and its login (admin)' },
      { keys: 'd', what: 'disable / enable the selected team (admin, asks first)' },
      { keys: 'p', what: 'new password for its login (admin, asks first, shown once)' },
      { keys: 'i', what: 'import teams and logins: teams.tsv accounts.tsv, or teams.json accounts.yaml (admin)' },
    ],
    hints: '',
    handle: (k) => {
      if (ask) {
        if (isChar(k, 'y')) void decide(ask);
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setAsk(null);
        return true;
      }
      if (importing) {
        if (k.name === 'escape') setImporting(null);
        else if (k.name === 'enter') void runImport(importing.paths.value);
        else setImporting((f) => (f ? { ...f, paths: applyEdit(f.paths, k, 400) ?? f.paths } : f));
        return true;
      }
      if (form) {
        // Updates go through the latest state: keys sent one by one can arrive before the re-render.
        if (k.name === 'escape') setForm(null);
        else if (k.name === 'enter') {
          if (form.focus < FIELDS.length - 1) setForm((f) => f && { ...f, focus: Math.min(FIELDS.length - 1, f.focus + 1) });
          else void add();
        } else setForm((f) => (f ? (formKey(f, FIELD_KEYS, k, 200) ?? f) : f));
        return true;
      }
      if (nav.handle(k, win.listH)) return true;
      if (!isChar(k, 'a') && !isChar(k, 'd') && !isChar(k, 'p') && !isChar(k, 'i')) return false;
      if (!admin) {
        setMessage({ text: 'Only an admin account can change teams and logins.', colour: 'red' });
        return true;
      }
      setMessage(null);
      if (isChar(k, 'i')) setImporting({ paths: edit(''), errors: [] });
      else if (isChar(k, 'a')) {
        setForm({ values: { teamId: edit(''), name: edit(''), organization: edit(''), username: edit(''), password: edit(randomPassword()) }, focus: 0, error: null });
      } else if (nav.current && isChar(k, 'd')) {
        setAsk({ kind: 'enable', team: nav.current });
      } else if (nav.current) {
        // The server names each team's logins; one that sends none is older and named logins as team ids.
        const login = nav.current.logins ? nav.current.logins[0] : nav.current.id;
        if (login === undefined) setMessage({ text: `${nav.current.name} has no login: add one with a (a new team) or an import.`, colour: 'red' });
        else setAsk({ kind: 'password', team: nav.current, login, password: randomPassword() });
      }
      return true;
    },
  });

  if (importing) {
    const room = Math.max(1, height - 8);
    return (
      <ScreenFrame width={width} height={height} hints="Enter import  Esc cancel" status="">
        <Text bold>{fit(' Import teams and logins (all or nothing)', width)}</Text>
        <Text dimColor>{fit('  DOMjudge teams.tsv accounts.tsv, or CCS teams.json accounts.yaml / accounts.json; paths from here', width)}</Text>
        <Box width={width} height={1}>
          <Text color="cyan">{fit(' › Files', 10)}</Text>
          <TextField edit={importing.paths} width={Math.max(10, width - 12)} focused />
        </Box>
        <Text> </Text>
        {importing.errors.length > 0 && <Text color="red">{fit(` Nothing was imported: ${importing.errors.length} problem${importing.errors.length === 1 ? '' : 's'}`, width)}</Text>}
        {importing.errors.slice(0, room).map((e, i) => (
          <Text key={i} color="red">
            {fit(`   ${e}`, width)}
          </Text>
        ))}
        {importing.errors.length > room && <Text dimColor>{fit(`   … ${importing.errors.length - room} more`, width)}</Text>}
      </ScreenFrame>
    );
  }
  if (form) {
    return (
      <ScreenFrame width={width} height={height} hints="Tab next field  Enter next / add  Esc cancel" status={form.error && !form.error.field ? <Text color="red">{fit(` ${form.error.text}`, width)}</Text> : ''}>
        <Text bold>{fit(' Add a team and its login', width)}</Text>
        <Text> </Text>
        <FormFields fields={FIELDS} form={form} width={width} labelWidth={16} />
        <Text> </Text>
        <Text dimColor>{fit('  The password is made up here and shown once after adding; change it if you like.', width)}</Text>
      </ScreenFrame>
    );
  }
  const askText = ask
    ? ask.kind === 'enable'
      ? `${ask.team.enabled ? 'Disable' : 'Enable'} team ${ask.team.name}?${ask.team.enabled ? ' It drops off the board and cannot submit.' : ''}`
      : `Give login ${ask.login} a new password? Its sessions end.`
    : '';
  const orgW = Math.max(10, Math.floor((width - 2 - 12 - 10) / 3));
  const nameW = Math.max(10, width - 2 - 12 - 10 - orgW);
  return (
    <ScreenFrame
      width={width}
      height={height}
      hints={nav.filtering ? 'Enter keep  Esc clear' : 'a add  i import  d disable/enable  p password  / filter'}
      status={ask ? <Confirm text={askText} width={width} /> : win.range}
    >
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 12)}${fit('Name', nameW)}${fit('Organization', orgW)}State`}
        width={width}
        keyOf={(t) => t.id}
        empty="No teams yet. a: add one."
        renderLine={(t: Team, _i, sel) => {
          const line = ' ' + fit(t.id, 12) + fit(t.name, nameW) + fit(t.organization ?? '', orgW) + paint(fit(t.enabled ? 'enabled' : 'disabled', 9), t.enabled ? 'green' : 'red');
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
