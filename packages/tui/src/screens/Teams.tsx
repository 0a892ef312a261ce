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

/** The edit-a-team form's fields, named as the editTeam request names them. */
const EDIT_FIELDS = [
  { key: 'name', label: 'Name' },
  { key: 'organization', label: 'Organization' },
  { key: 'location', label: 'Location' },
  { key: 'groupIds', label: 'Groups' },
] as const;
type EditKey = (typeof EDIT_FIELDS)[number]['key'];
const EDIT_KEYS = EDIT_FIELDS.map((f) => f.key);

/** The field a refusal names: the server's `groupIds.1` is the Groups field. */
const fieldOf = (err: unknown): string | null => (err instanceof RequestError && err.field ? err.field.split('.')[0]! : null);


const edit = (v: string): Edit => ({ value: v, cursor: v.length });

type Team = TeamInfo & { logins?: string[] };
type Ask = { kind: 'enable'; team: Team } | { kind: 'password'; team: Team; login: string; password: string };

/**
 * Teams (admin): every team with its state; `a` adds a team with its login (the password is made up
 * and shown once), `e` edits the selected team (name, organization, location, groups), `i` imports teams and logins from files, `d` disables or enables the selected
 * team, `p` gives its login a new password, shown once. Each change asks first; what the server refuses is shown beside
 * the field it names.
 */
export function TeamsScreen({ width, height }: ScreenProps) {
  const { api, cwd } = useApp();
  const user = useData((d) => d.user);
  const admin = user?.role === 'admin';
  const [teams, setTeams] = useState<Team[]>([]);
  const nav = useListNav(teams, (t) => `${t.id} ${t.name} ${t.organization ?? ''} ${t.location ?? ''} ${t.enabled ? 'enabled' : 'disabled'}`);
  const [form, setForm] = useState<{ values: Record<FieldKey, Edit>; focus: number; error: { field: string | null; text: string } | null } | null>(null);
  const [ask, setAsk] = useState<Ask | null>(null);
  /** The edit form: the team as it was when opened, and the fields. */
  const [editing, setEditing] = useState<{ team: Team; values: Record<EditKey, Edit>; focus: number; error: { field: string | null; text: string } | null } | null>(null);
  const version = useData((d) => d.teamsVersion);
  /** Logins the server made for imported teams: shown once, and saved where `file` says (or why not). */
  const [madeLogins, setMadeLogins] = useState<{ logins: { teamId: string; username: string; password: string }[]; names: Map<string, string>; file: string | null; fileError: string | null } | null>(null);
  /** The import form: file paths, and what the server (or reading the files) refused, line by line. */
  const [importing, setImporting] = useState<{ paths: Edit; errors: string[] } | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const win = useListWindow(nav, height, message ? 1 : 0);

  const reload = () =>
    api
      .request<'teams'>({ type: 'teams' })
      .then((r) => setTeams(r.teams))
      .catch((err: Error) => setMessage({ text: `Could not load teams: ${err.message}`, colour: 'red' }));
  // Reloaded on every team event too: another admin's edit shows here at once.
  useEffect(() => {
    void reload();
  }, [api, version]);

  async function add() {
    if (!form) return;
    const v = (k: FieldKey) => form.values[k].value.trim();
    try {
      const r = await api.request<'addTeam'>({ type: 'addTeam', teamId: v('teamId'), name: v('name'), organization: v('organization') || null, username: v('username'), password: form.values.password.value });
      setForm(null);
      setMessage({ text: `Added ${r.team.name} (${r.team.id}). Login ${v('username')}, password ${form.values.password.value} — shown once, note it now.`, colour: 'green' });
      void reload();
    } catch (err) {
      const field = fieldOf(err);
      const at = FIELDS.findIndex((x) => x.key === field);
      setForm({ ...form, focus: at >= 0 ? at : form.focus, error: { field, text: (err as Error).message } });
    }
  }

  /** Sends only what changed; the groups are ids separated by spaces or commas. */
  async function saveEdit() {
    if (!editing) return;
    const t = editing.team;
    const v = (k: EditKey) => editing.values[k].value.trim();
    const groupIds = v('groupIds').split(/[\s,]+/).filter(Boolean);
    const change: { name?: string; organization?: string | null; location?: string | null; groupIds?: string[] } = {};
    if (v('name') !== t.name) change.name = v('name');
    if ((v('organization') || null) !== t.organization) change.organization = v('organization') || null;
    if ((v('location') || null) !== (t.location ?? null)) change.location = v('location') || null;
    if (groupIds.join(' ') !== (t.groupIds ?? []).join(' ')) change.groupIds = groupIds;
    if (Object.keys(change).length === 0) {
      setEditing(null);
      setMessage({ text: `Nothing changed for ${t.name}.`, colour: 'yellow' });
      return;
    }
    try {
      const r = await api.request<'editTeam'>({ type: 'editTeam', teamId: t.id, ...change });
      setEditing(null);
      setMessage({ text: `Saved ${r.team.name} (${r.team.id}).`, colour: 'green' });
      void reload();
    } catch (err) {
      const field = fieldOf(err);
      const at = EDIT_FIELDS.findIndex((x) => x.key === field);
      setEditing((f) => f && { ...f, focus: at >= 0 ? at : f.focus, error: { field: at >= 0 ? field : null, text: (err as Error).message } });
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
      if (r.logins && r.logins.length > 0) {
        const names = new Map(r.teams.map((t) => [t.id, t.name]));
        // The passwords exist nowhere else: keep them in a file only the admin can read, in DOMjudge's
        // accounts.tsv shape (for login sheets, or an import elsewhere).
        const file = path.resolve(cwd, `judged-logins-${new Date().toISOString().replace(/[:.]/g, '-')}.tsv`);
        let fileError: string | null = null;
        try {
          const rows = r.logins.map((l) => ['team', names.get(l.teamId) ?? l.teamId, l.username, l.password].join('\t'));
          fs.writeFileSync(file, ['accounts\t1', ...rows].join('\n') + '\n', { mode: 0o600, flag: 'wx' });
        } catch (err) {
          fileError = (err as Error).message;
        }
        setMadeLogins({ logins: r.logins, names, file: fileError ? null : file, fileError });
      }
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
    capture: nav.capture || form !== null || ask !== null || importing !== null || editing !== null || madeLogins !== null,
    help: [
      { keys: 'a', what: 'add a team and its login (admin)' },
      { keys: 'e', what: 'edit the selected team: name, organization, location, groups (admin)' },
      { keys: 'd', what: 'disable / enable the selected team (admin, asks first)' },
      { keys: 'p', what: 'new password for its login (admin, asks first, shown once)' },
      { keys: 'i', what: 'import teams and logins: teams.tsv accounts.tsv, or teams.json accounts.yaml (admin)' },
    ],
    hints: '',
    handle: (k) => {
      if (madeLogins) {
        if (k.name === 'escape' || k.name === 'enter') setMadeLogins(null);
        return true;
      }
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
      if (editing) {
        if (k.name === 'escape') setEditing(null);
        else if (k.name === 'enter') {
          if (editing.focus < EDIT_FIELDS.length - 1) setEditing((f) => f && { ...f, focus: f.focus + 1 });
          else void saveEdit();
        } else setEditing((f) => (f ? (formKey(f, EDIT_KEYS, k, 200) ?? f) : f));
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
      if (!isChar(k, 'a') && !isChar(k, 'd') && !isChar(k, 'p') && !isChar(k, 'i') && !isChar(k, 'e')) return false;
      if (!admin) {
        setMessage({ text: 'Only an admin account can change teams and logins.', colour: 'red' });
        return true;
      }
      setMessage(null);
      if (isChar(k, 'i')) setImporting({ paths: edit(''), errors: [] });
      else if (isChar(k, 'e')) {
        const t = nav.current;
        if (t) setEditing({ team: t, values: { name: edit(t.name), organization: edit(t.organization ?? ''), location: edit(t.location ?? ''), groupIds: edit((t.groupIds ?? []).join(' ')) }, focus: 0, error: null });
      }
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

  if (madeLogins) {
    const room = Math.max(1, height - 8);
    const { logins, names, file, fileError } = madeLogins;
    return (
      <ScreenFrame width={width} height={height} hints="Enter / Esc done" status="">
        <Text bold color="green">{fit(` New logins for ${logins.length} imported team${logins.length === 1 ? '' : 's'}: shown once, note them now`, width)}</Text>
        {file ? <Text>{fit(`  Also saved (readable by you only) to ${file}`, width)}</Text> : <Text color="red">{fit(`  Not saved to a file (${fileError ?? ''}): copy them from here`, width)}</Text>}
        <Text dimColor>{fit(`  ${fit('Team', 24)}${fit('Login', 20)}Password`, width)}</Text>
        {logins.slice(0, room).map((l) => (
          <Text key={l.teamId}>{fit(`  ${fit(`${l.teamId} ${names.get(l.teamId) ?? ''}`, 24)}${fit(l.username, 20)}${l.password}`, width)}</Text>
        ))}
        {logins.length > room && <Text dimColor>{fit(`  … ${logins.length - room} more${file ? ' in the file' : ''}`, width)}</Text>}
      </ScreenFrame>
    );
  }
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
  if (editing) {
    return (
      <ScreenFrame width={width} height={height} hints="Tab next field  Enter next / save  Esc cancel" status={editing.error && !editing.error.field ? <Text color="red">{fit(` ${editing.error.text}`, width)}</Text> : ''}>
        <Text bold>{fit(` Edit team ${editing.team.id}`, width)}</Text>
        <Text> </Text>
        <FormFields fields={EDIT_FIELDS} form={editing} width={width} labelWidth={16} />
        <Text> </Text>
        <Text dimColor>{fit('  Organization: an id or a name (a new name makes one). Groups: ids, space-separated; empty for none.', width)}</Text>
        <Text dimColor>{fit('  Scoreboards show the new name at once.', width)}</Text>
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
  // Wide terminals also show where each team sits (for runners and printouts).
  const locW = width >= 120 ? Math.floor((width - 2 - 12 - 10) / 4) : 0;
  const orgW = Math.max(10, Math.floor((width - 2 - 12 - 10 - locW) / 3));
  const nameW = Math.max(10, width - 2 - 12 - 10 - orgW - locW);
  return (
    <ScreenFrame
      width={width}
      height={height}
      hints={nav.filtering ? 'Enter keep  Esc clear' : 'a add  e edit  i import  d disable/enable  p password  / filter'}
      status={ask ? <Confirm text={askText} width={width} /> : win.range}
    >
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('ID', 12)}${fit('Name', nameW)}${fit('Organization', orgW)}${locW ? fit('Location', locW) : ''}State`}
        width={width}
        keyOf={(t) => t.id}
        empty="No teams yet. a: add one."
        renderLine={(t: Team, _i, sel) => {
          const line = ' ' + fit(t.id, 12) + fit(t.name, nameW) + fit(t.organization ?? '', orgW) + (locW ? fit(t.location ?? '', locW) : '') + paint(fit(t.enabled ? 'enabled' : 'disabled', 9), t.enabled ? 'green' : 'red');
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
